package dev.reprise.orchestrator.execution;

import dev.reprise.orchestrator.domain.spec.SecretRef;
import java.util.List;
import java.util.Map;

/**
 * Everything an executor needs to start one attempt of one run. Built by the scheduler from the stored sweep and
 * run; executors only translate it (into a Job and a ConfigMap, or a local process), never decide anything.
 *
 * @param argv       the user's command, rendered with the run's parameters (the agent wraps it)
 * @param env        the user's environment plus Reprise's REPRISE_* variables for this run
 * @param configJson the run's exact resolved configuration (canonical JSON), recorded beside the trial
 * @param placement  node selection and priority taken from the queue
 * @param secretEnv  variables whose values are secrets the launch only names: the executor resolves them where the
 *                   trial runs (a Kubernetes secretKeyRef, the local secret store), never into {@code env}
 */
public record TrialLaunch(
        long runId,
        int attempt,
        long sweepId,
        String sweepName,
        String project,
        int index,
        String image,
        List<String> argv,
        Map<String, String> env,
        TrialResources resources,
        String queue,
        int priority,
        String configHash,
        String configJson,
        Placement placement,
        Map<String, SecretRef> secretEnv) {

    public TrialLaunch {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        secretEnv = secretEnv == null ? Map.of() : Map.copyOf(secretEnv);
    }

    /** A launch without secret references. */
    public TrialLaunch(long runId, int attempt, long sweepId, String sweepName, String project, int index, String image,
            List<String> argv, Map<String, String> env, TrialResources resources, String queue, int priority,
            String configHash, String configJson, Placement placement) {
        this(runId, attempt, sweepId, sweepName, project, index, image, argv, env, resources, queue, priority,
                configHash, configJson, placement, Map.of());
    }

    /**
     * CPU and memory in Kubernetes notation (null = not requested), GPUs by count and optional type, all per node;
     * {@code nodes}: how many nodes (ranks) the trial spans, each running the command once;
     * {@code timeLimitSeconds}: how long the attempt may run before the executor stops it (null = no limit).
     */
    public record TrialResources(String cpu, String memory, int gpuCount, String gpuType, int nodes,
            Long timeLimitSeconds) {

        public TrialResources(String cpu, String memory, int gpuCount, String gpuType) {
            this(cpu, memory, gpuCount, gpuType, 1);
        }

        public TrialResources(String cpu, String memory, int gpuCount, String gpuType, int nodes) {
            this(cpu, memory, gpuCount, gpuType, nodes, null);
        }

        public TrialResources {
            if (nodes < 1) {
                throw new IllegalArgumentException("nodes must be at least 1, not " + nodes);
            }
            if (timeLimitSeconds != null && timeLimitSeconds < 1) {
                throw new IllegalArgumentException("timeLimitSeconds must be at least 1, not " + timeLimitSeconds);
            }
        }
    }

    /** How long the attempt may run, or null for no limit. */
    public Long timeLimitSeconds() {
        return resources == null ? null : resources.timeLimitSeconds();
    }

    /** How many nodes (ranks) this attempt spans; 1 without resources. */
    public int nodes() {
        return resources == null ? 1 : resources.nodes();
    }

    /** Where a trial may run, from the queue's configuration. Empty lists/maps mean no constraint. */
    public record Placement(Map<String, String> nodeSelector, List<Toleration> tolerations, String priorityClassName,
            String serviceAccountName, String kueueQueueName) {

        public static final Placement NONE = new Placement(Map.of(), List.of(), null, null, null);

        public Placement {
            nodeSelector = Map.copyOf(nodeSelector);
            tolerations = List.copyOf(tolerations);
        }
    }

    /** A Kubernetes toleration; operator Equal or Exists, effect NoSchedule/PreferNoSchedule/NoExecute or null. */
    public record Toleration(String key, String operator, String value, String effect) {
    }
}
