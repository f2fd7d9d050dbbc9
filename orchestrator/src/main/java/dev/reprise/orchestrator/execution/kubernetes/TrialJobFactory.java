package dev.reprise.orchestrator.execution.kubernetes;

import dev.reprise.api.trial.TrialEnvironment;
import dev.reprise.api.trial.TrialVariable;
import dev.reprise.orchestrator.execution.DistributedEnv;
import dev.reprise.orchestrator.execution.TrialLaunch;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the Kubernetes objects of one trial attempt, purely: the same launch, settings and capabilities always give
 * the same objects, and nothing here talks to a cluster.
 *
 * <p>The pod has an init container from the agent image that copies the self-contained agent (with its own Java
 * runtime) into an {@code emptyDir}; the training container runs the user's image with the agent as its command,
 * wrapping the user's argv, so any (glibc-based) image works unchanged. The run's resolved configuration is mounted
 * read-only from a ConfigMap. Security settings satisfy the Pod Security Standards <em>restricted</em> profile.
 */
public final class TrialJobFactory {

    public static final String TRAINER = "trainer";
    public static final String AGENT_INIT = "reprise-agent";
    /** Where the agent image keeps the agent, and where the trial's containers find it. */
    public static final String AGENT_SOURCE = "/opt/reprise-agent";
    public static final String AGENT_MOUNT = "/reprise/agent";
    public static final String AGENT_BINARY = AGENT_MOUNT + "/bin/reprise-agent";
    public static final String CONFIG_MOUNT = "/reprise/config";
    public static final String CONFIG_FILE = "config.json";
    /** Where the training command writes what should outlive the pod (REPRISE_OUTPUT_DIR); the agent uploads it. */
    public static final String OUTPUT_MOUNT = "/reprise/output";
    /** Where the training command writes checkpoints (REPRISE_CHECKPOINT_DIR); the agent uploads and restores them. */
    public static final String CHECKPOINT_MOUNT = "/reprise/checkpoints";
    static final String CHECKPOINT_VOLUME = "reprise-checkpoints";
    static final String AGENT_VOLUME = "reprise-agent";
    static final String CONFIG_VOLUME = "reprise-config";
    static final String DATA_VOLUME = "reprise-data";
    static final String OUTPUT_VOLUME = "reprise-output";
    /** The agent and its runtime take ~60 MB; the limit only guards the node's disk. */
    static final String AGENT_VOLUME_SIZE = "256Mi";

    /** The installation identity of {@link #TrialJobFactory(TrialJobSettings)}: tests and tools without a database. */
    public static final String UNSTORED_INSTALLATION = "00000000";

    private final TrialJobSettings settings;
    private final String installation;

    /**
     * @param installation this installation's identity (stored in its database, {@code InstallationIdentity}): part
     *                     of every object's name and labels
     */
    public TrialJobFactory(TrialJobSettings settings, String installation) {
        KubernetesNames.installationError(installation).ifPresent(e -> {
            throw new IllegalArgumentException("installation '" + installation + "' " + e);
        });
        this.settings = settings;
        this.installation = installation;
    }

    /** A factory with the fixed installation {@value #UNSTORED_INSTALLATION}, for tests and tools. */
    public TrialJobFactory(TrialJobSettings settings) {
        this(settings, UNSTORED_INSTALLATION);
    }

    public TrialJobSettings settings() {
        return settings;
    }

    public String installation() {
        return installation;
    }

    /** The name of the attempt's Job and ConfigMap. */
    public String jobName(TrialLaunch launch) {
        return KubernetesNames.jobName(launch, installation);
    }

    /** The Job for one attempt; fields the server does not support (per {@code capabilities}) are left out. */
    public Job desiredJob(TrialLaunch launch, Capabilities capabilities) {
        String name = jobName(launch);
        Map<String, String> labels = labels(launch);
        Map<String, String> annotations = annotations(launch);
        Map<String, String> podAnnotations = new TreeMap<>(annotations);
        podAnnotations.put(TrialLabels.DEFAULT_CONTAINER_ANNOTATION, TRAINER);

        int nodes = launch.nodes();
        JobSpecBuilder spec = new JobSpecBuilder()
                // Reprise owns retries: a failed attempt is a new attempt (and a new Job). For a distributed trial
                // it is also its one fate: the first failed pod fails the Job, and the Job controller deletes the others
                .withBackoffLimit(0)
                .withCompletions(nodes)
                .withParallelism(nodes)
                .withNewTemplate()
                .withMetadata(new ObjectMetaBuilder().withLabels(labels).withAnnotations(podAnnotations).build())
                .withSpec(podSpec(launch, name, capabilities))
                .endTemplate();
        if (nodes > 1 && capabilities.indexedJobs()) {
            // each pod's completion index is its rank; without Indexed Jobs the orchestrator's rendezvous assigns ranks
            spec.withCompletionMode("Indexed");
        }
        if (launch.timeLimitSeconds() != null) {
            // the Job controller stops the pods and fails the Job with reason DeadlineExceeded (cause TIME_LIMIT)
            spec.withActiveDeadlineSeconds(launch.timeLimitSeconds());
        }
        if (settings.ttlSecondsAfterFinished() != null && capabilities.ttlSecondsAfterFinished()) {
            spec.withTtlSecondsAfterFinished(settings.ttlSecondsAfterFinished());
        }
        if (capabilities.podFailurePolicy()) {
            spec.withPodFailurePolicy(podFailurePolicy(nodes));
        }
        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .withAnnotations(annotations)
                .endMetadata()
                .withSpec(spec.build())
                .build();
    }

    /**
     * The ConfigMap holding the run's exact resolved configuration ({@code config.json}), named like the Job. Give it
     * an owner with {@link #ownedBy} once the Job exists, so that deleting the Job deletes it too.
     */
    public ConfigMap desiredConfigMap(TrialLaunch launch) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(jobName(launch))
                .withLabels(labels(launch))
                .withAnnotations(annotations(launch))
                .endMetadata()
                .withData(Map.of(CONFIG_FILE, launch.configJson() == null ? "{}" : launch.configJson()))
                .withImmutable(true)
                .build();
    }

    /** A copy of {@code configMap} owned by {@code job} (garbage-collected with it). */
    public static ConfigMap ownedBy(ConfigMap configMap, Job job) {
        return new ConfigMapBuilder(configMap)
                .editMetadata()
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("batch/v1")
                        .withKind("Job")
                        .withName(job.getMetadata().getName())
                        .withUid(job.getMetadata().getUid())
                        .withController(false)
                        .withBlockOwnerDeletion(false)
                        .build())
                .endMetadata()
                .build();
    }

    /** The labels of every object of this attempt (Job, pod template, ConfigMap), sorted. */
    public Map<String, String> labels(TrialLaunch launch) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(TrialLabels.NAME, TrialLabels.REPRISE);
        labels.put(TrialLabels.MANAGED_BY, TrialLabels.REPRISE);
        labels.put(TrialLabels.INSTALLATION, installation);
        labels.put(TrialLabels.COMPONENT, TrialLabels.TRIAL);
        labels.put(TrialLabels.PROJECT, KubernetesNames.labelValue(launch.project()));
        labels.put(TrialLabels.SWEEP, KubernetesNames.labelValue(launch.sweepName()));
        labels.put(TrialLabels.SWEEP_ID, Long.toString(launch.sweepId()));
        labels.put(TrialLabels.RUN, Long.toString(launch.runId()));
        labels.put(TrialLabels.RUN_INDEX, Integer.toString(launch.index()));
        labels.put(TrialLabels.ATTEMPT, Integer.toString(launch.attempt()));
        if (launch.nodes() > 1) {
            labels.put(TrialLabels.NODES, Integer.toString(launch.nodes()));
        }
        String kueue = placement(launch).kueueQueueName();
        if (kueue != null && !kueue.isEmpty()) {
            labels.put(TrialLabels.KUEUE_QUEUE, kueue);
        }
        return labels;
    }

    static Map<String, String> annotations(TrialLaunch launch) {
        Map<String, String> annotations = new TreeMap<>();
        if (launch.configHash() != null) {
            annotations.put(TrialLabels.CONFIG_HASH_ANNOTATION, launch.configHash());
        }
        annotations.put(TrialLabels.IMAGE_ANNOTATION, launch.image());
        annotations.put(TrialLabels.SWEEP_NAME_ANNOTATION, String.valueOf(launch.sweepName()));
        annotations.put(TrialLabels.PROJECT_NAME_ANNOTATION, String.valueOf(launch.project()));
        if (launch.queue() != null) {
            annotations.put(TrialLabels.QUEUE_ANNOTATION, launch.queue());
        }
        return annotations;
    }

    /**
     * Rules in order: a pod disrupted by the platform (preemption, eviction, node loss: the DisruptionTarget
     * condition) does not count as a failure, so the Job controller replaces the pod; chosen exit codes of the
     * training container fail the Job at once, with a reason that names the rule. A distributed trial cannot take
     * one new rank into a running process group, so there a disruption fails the whole Job (the watcher reports it
     * as preemption, and the retry restarts every rank).
     */
    PodFailurePolicy podFailurePolicy(int nodes) {
        List<PodFailurePolicyRule> rules = new ArrayList<>();
        rules.add(new PodFailurePolicyRuleBuilder()
                .withAction(nodes > 1 ? "FailJob" : "Ignore")
                .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition()
                .build());
        if (!settings.failFastExitCodes().isEmpty()) {
            rules.add(new PodFailurePolicyRuleBuilder()
                    .withAction("FailJob")
                    .withNewOnExitCodes()
                    .withContainerName(TRAINER)
                    .withOperator("In")
                    .withValues(List.copyOf(settings.failFastExitCodes()))
                    .endOnExitCodes()
                    .build());
        }
        return new PodFailurePolicyBuilder().withRules(rules).build();
    }

    private PodSpec podSpec(TrialLaunch launch, String name, Capabilities capabilities) {
        TrialLaunch.Placement placement = placement(launch);
        TrialLaunch.TrialResources resources = launch.resources() == null
                ? new TrialLaunch.TrialResources(null, null, 0, null)
                : launch.resources();

        Map<String, String> nodeSelector = new TreeMap<>(placement.nodeSelector());
        List<Toleration> tolerations = new ArrayList<>();
        for (TrialLaunch.Toleration t : placement.tolerations()) {
            tolerations.add(new TolerationBuilder()
                    .withKey(emptyToNull(t.key()))
                    .withOperator(emptyToNull(t.operator()))
                    .withValue(emptyToNull(t.value()))
                    .withEffect(emptyToNull(t.effect()))
                    .build());
        }
        if (resources.gpuCount() > 0) {
            if (resources.gpuType() != null && !resources.gpuType().isEmpty()) {
                nodeSelector.putIfAbsent(settings.gpuTypeLabel(), resources.gpuType());
            }
            // GPU nodes are commonly tainted nvidia.com/gpu:NoSchedule so that only GPU pods land there
            boolean tolerated = placement.tolerations().stream().anyMatch(t -> settings.gpuResource().equals(t.key()));
            if (!tolerated) {
                tolerations.add(new TolerationBuilder().withKey(settings.gpuResource()).withOperator("Exists")
                        .withEffect("NoSchedule").build());
            }
        }

        PodSpecBuilder pod = new PodSpecBuilder()
                .withRestartPolicy("Never")
                .withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(settings.terminationGracePeriodSeconds())
                .withSecurityContext(new PodSecurityContextBuilder()
                        .withRunAsNonRoot(true)
                        .withRunAsUser(settings.runAsUser())
                        .withRunAsGroup(settings.runAsGroup())
                        .withFsGroup(settings.fsGroup())
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                        .build())
                .withInitContainers(agentInitContainer())
                .withContainers(trainerContainer(launch, resources, capabilities))
                .withVolumes(volumes(name, launch));
        if (settings.hostNetwork()) {
            // the node's DNS too: a pod on the host network has no cluster DNS of its own
            pod.withHostNetwork(true).withDnsPolicy("ClusterFirstWithHostNet");
        }
        if (!nodeSelector.isEmpty()) {
            pod.withNodeSelector(nodeSelector);
        }
        if (!tolerations.isEmpty()) {
            pod.withTolerations(tolerations);
        }
        if (placement.priorityClassName() != null && !placement.priorityClassName().isEmpty()) {
            pod.withPriorityClassName(placement.priorityClassName());
        }
        if (placement.serviceAccountName() != null && !placement.serviceAccountName().isEmpty()) {
            pod.withServiceAccountName(placement.serviceAccountName());
        } else {
            // a trial needs no Kubernetes API access unless its queue names a service account for it
            pod.withAutomountServiceAccountToken(false);
        }
        return pod.build();
    }

    private Container agentInitContainer() {
        return new ContainerBuilder()
                .withName(AGENT_INIT)
                .withImage(settings.agentImage())
                .withImagePullPolicy(settings.agentImagePullPolicy())
                .withCommand("cp", "-R", AGENT_SOURCE + "/.", AGENT_MOUNT + "/")
                .withResources(new ResourceRequirementsBuilder()
                        .addToRequests("cpu", new Quantity("50m"))
                        .addToRequests("memory", new Quantity("32Mi"))
                        .addToLimits("cpu", new Quantity("1"))
                        .addToLimits("memory", new Quantity("128Mi"))
                        .build())
                .withVolumeMounts(new VolumeMountBuilder().withName(AGENT_VOLUME).withMountPath(AGENT_MOUNT).build())
                .withSecurityContext(restrictedSecurityContext(true))
                .build();
    }

    private Container trainerContainer(TrialLaunch launch, TrialLaunch.TrialResources resources,
            Capabilities capabilities) {
        List<String> command = new ArrayList<>(List.of(AGENT_BINARY, "run",
                "--run-id", Long.toString(launch.runId()),
                "--attempt", Integer.toString(launch.attempt()),
                "--"));
        command.addAll(launch.argv());
        return new ContainerBuilder()
                .withName(TRAINER)
                .withImage(launch.image())
                .withCommand(command)
                .withEnv(env(launch, capabilities))
                .withResources(resources(resources))
                .withVolumeMounts(mounts(launch))
                .withSecurityContext(restrictedSecurityContext(false))
                .build();
    }

    /**
     * The agent (read-only), the config (read-only), the output directory, and, for a run with a data snapshot, the
     * writable data directory at the sweep's {@code data.mount_path} that the agent materialises the snapshot into.
     */
    private static List<VolumeMount> mounts(TrialLaunch launch) {
        List<VolumeMount> mounts = new java.util.ArrayList<>(List.of(
                new VolumeMountBuilder().withName(AGENT_VOLUME).withMountPath(AGENT_MOUNT).withReadOnly(true).build(),
                new VolumeMountBuilder().withName(CONFIG_VOLUME).withMountPath(CONFIG_MOUNT).withReadOnly(true).build(),
                new VolumeMountBuilder().withName(OUTPUT_VOLUME).withMountPath(outputDir(launch)).build(),
                new VolumeMountBuilder().withName(CHECKPOINT_VOLUME).withMountPath(CHECKPOINT_MOUNT).build()));
        dataDir(launch).ifPresent(dir -> mounts.add(
                new VolumeMountBuilder().withName(DATA_VOLUME).withMountPath(dir).build()));
        return List.copyOf(mounts);
    }

    private static List<Volume> volumes(String configMapName, TrialLaunch launch) {
        List<Volume> volumes = new java.util.ArrayList<>(List.of(
                new VolumeBuilder().withName(AGENT_VOLUME)
                        .withNewEmptyDir().withSizeLimit(new Quantity(AGENT_VOLUME_SIZE)).endEmptyDir().build(),
                new VolumeBuilder().withName(CONFIG_VOLUME)
                        .withNewConfigMap().withName(configMapName).withOptional(false)
                        .addNewItem().withKey(CONFIG_FILE).withPath(CONFIG_FILE).endItem()
                        .endConfigMap().build(),
                new VolumeBuilder().withName(OUTPUT_VOLUME).withNewEmptyDir().endEmptyDir().build(),
                new VolumeBuilder().withName(CHECKPOINT_VOLUME).withNewEmptyDir().endEmptyDir().build()));
        if (dataDir(launch).isPresent()) {
            volumes.add(new VolumeBuilder().withName(DATA_VOLUME).withNewEmptyDir().endEmptyDir().build());
        }
        return List.copyOf(volumes);
    }

    /** The data directory of a run with a snapshot (REPRISE_DATA_DIR, from the sweep's data.mount_path). */
    private static java.util.Optional<String> dataDir(TrialLaunch launch) {
        if (!launch.env().containsKey(TrialVariable.DATA_URL.variable())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(launch.env().getOrDefault(TrialVariable.DATA_DIR.variable(), "/data"));
    }

    private static String outputDir(TrialLaunch launch) {
        return launch.env().getOrDefault(TrialVariable.OUTPUT_DIR.variable(), OUTPUT_MOUNT);
    }

    /**
     * The launch's variables (sorted), then Reprise's defaults for those it left out. A distributed trial's pods also
     * get the variables every rank shares ({@link DistributedEnv}), their own IP, and on Indexed Jobs their rank from
     * the completion index; the agent learns the rest (rank 0's address, and on 1.20 the rank) at the rendezvous.
     */
    private List<EnvVar> env(TrialLaunch launch, Capabilities capabilities) {
        Map<String, EnvVar> env = new TreeMap<>();
        launch.env().forEach((k, v) -> env.put(k, new EnvVar(k, v, null)));
        // a secret the sweep names is read by the kubelet from the trials' namespace; its value never passes through
        // Reprise, and a missing Secret or key keeps the pod from starting (CreateContainerConfigError)
        launch.secretEnv().forEach((k, ref) -> env.put(k, new io.fabric8.kubernetes.api.model.EnvVarBuilder()
                .withName(k).withNewValueFrom().withNewSecretKeyRef().withName(ref.secret()).withKey(ref.key())
                .withOptional(false).endSecretKeyRef().endValueFrom().build()));
        agentKafkaCredential(launch, env);
        if (launch.nodes() > 1) {
            int masterPort = settings.hostNetwork() ? DistributedEnv.sharedNetworkPort(launch.runId(),
                    launch.attempt()) : DistributedEnv.DEFAULT_MASTER_PORT;
            DistributedEnv.ranklessFor(launch.nodes(), masterPort)
                    .forEach((k, v) -> env.put(k, new EnvVar(k, v, null)));
            env.put(TrialVariable.POD_IP.variable(), fieldRef(TrialVariable.POD_IP, "status.podIP"));
            if (capabilities.indexedJobs()) {
                String index = "metadata.annotations['" + TrialLabels.COMPLETION_INDEX_ANNOTATION + "']";
                for (String k : List.of(DistributedEnv.NODE_RANK, DistributedEnv.RANK,
                        DistributedEnv.REPRISE_NODE_RANK)) {
                    env.put(k, fieldRef(k, index));
                }
            }
        }
        TrialEnvironment.empty()
                .with(TrialVariable.RUN_ID, launch.runId())
                .with(TrialVariable.ATTEMPT, launch.attempt())
                .with(TrialVariable.OUTPUT_DIR, OUTPUT_MOUNT)
                .with(TrialVariable.CHECKPOINT_DIR, CHECKPOINT_MOUNT)
                .with(TrialVariable.CONFIG_FILE, CONFIG_MOUNT + "/" + CONFIG_FILE)
                .toEnv().forEach((k, v) -> env.putIfAbsent(k, new EnvVar(k, v, null)));
        env.putIfAbsent(TrialVariable.NODE_NAME.variable(), fieldRef(TrialVariable.NODE_NAME, "spec.nodeName"));
        env.putIfAbsent(TrialVariable.POD_NAME.variable(), fieldRef(TrialVariable.POD_NAME, "metadata.name"));
        return List.copyOf(env.values());
    }

    /**
     * The agents' Kafka credential comes from {@link TrialJobSettings#agentKafkaSecret()} through
     * {@code secretKeyRef}, never written into the Job: a password in the launch is refused, not inlined.
     */
    private void agentKafkaCredential(TrialLaunch launch, Map<String, EnvVar> env) {
        String secret = settings.agentKafkaSecret();
        if (secret == null) {
            if (launch.env().containsKey(TrialVariable.KAFKA_PASSWORD.variable())) {
                throw new IllegalStateException("a Kafka password would be written into the Job of run "
                        + launch.runId() + ": on Kubernetes give the agents' credential as a Secret"
                        + " (reprise.kubernetes.agent-kafka-secret) instead of REPRISE_KAFKA_AGENT_PASSWORD");
            }
            return;
        }
        env.put(TrialVariable.KAFKA_USERNAME.variable(),
                secretRef(TrialVariable.KAFKA_USERNAME, secret, TrialJobSettings.KAFKA_USERNAME_KEY));
        env.put(TrialVariable.KAFKA_PASSWORD.variable(),
                secretRef(TrialVariable.KAFKA_PASSWORD, secret, TrialJobSettings.KAFKA_PASSWORD_KEY));
    }

    private static EnvVar secretRef(TrialVariable variable, String secret, String key) {
        return new EnvVarBuilder().withName(variable.variable()).withNewValueFrom().withNewSecretKeyRef()
                .withName(secret).withKey(key).withOptional(false).endSecretKeyRef().endValueFrom().build();
    }

    private static EnvVar fieldRef(TrialVariable variable, String path) {
        return fieldRef(variable.variable(), path);
    }

    private static EnvVar fieldRef(String name, String fieldPath) {
        return new EnvVarBuilder().withName(name)
                .withNewValueFrom().withNewFieldRef().withFieldPath(fieldPath).endFieldRef().endValueFrom().build();
    }

    /** Requests as asked; a memory limit equal to the request (no overcommit surprises), no CPU limit (no throttling). */
    private ResourceRequirements resources(TrialLaunch.TrialResources r) {
        ResourceRequirementsBuilder b = new ResourceRequirementsBuilder();
        if (r.cpu() != null && !r.cpu().isEmpty()) {
            b.addToRequests("cpu", new Quantity(r.cpu()));
        }
        if (r.memory() != null && !r.memory().isEmpty()) {
            b.addToRequests("memory", new Quantity(r.memory()));
            b.addToLimits("memory", new Quantity(r.memory()));
        }
        if (r.gpuCount() > 0) {
            // extended resources: requests must equal limits; Kubernetes copies the limit when the request is absent
            b.addToLimits(settings.gpuResource(), new Quantity(Integer.toString(r.gpuCount())));
        }
        return b.build();
    }

    private SecurityContext restrictedSecurityContext(boolean readOnlyRoot) {
        SecurityContextBuilder b = new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withRunAsNonRoot(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile();
        if (readOnlyRoot) {
            b.withReadOnlyRootFilesystem(true);
        }
        return b.build();
    }

    private static TrialLaunch.Placement placement(TrialLaunch launch) {
        return launch.placement() == null ? TrialLaunch.Placement.NONE : launch.placement();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
