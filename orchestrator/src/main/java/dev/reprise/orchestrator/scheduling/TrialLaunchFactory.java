package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.application.CanonicalJson;
import dev.reprise.orchestrator.domain.search.CommandTemplate;
import dev.reprise.orchestrator.domain.search.TrialConfig;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.security.RunTokens;
import dev.reprise.orchestrator.storage.snapshots.SnapshotLaunchEnv;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the {@link TrialLaunch} of a run from its stored sweep: the normalised spec is itself a valid sweep
 * document with its seed fixed, so reading it again gives back exactly the submitted configuration.
 */
@ApplicationScoped
public class TrialLaunchFactory {

    /** The variable holding the trial's run token. */
    public static final String RUN_TOKEN_ENV = "REPRISE_RUN_TOKEN";

    private final Queues queues;
    private final SchedulerConfig config;
    private final StoredSpecs specs;
    private final SnapshotLaunchEnv snapshotEnv;
    private final RunTokens runTokens;

    public TrialLaunchFactory(Queues queues, SchedulerConfig config, StoredSpecs specs,
            SnapshotLaunchEnv snapshotEnv, RunTokens runTokens) {
        this.runTokens = runTokens;
        this.queues = queues;
        this.config = config;
        this.specs = specs;
        this.snapshotEnv = snapshotEnv;
    }

    public TrialLaunch launch(SweepEntity sweep, RunEntity run) {
        SweepSpec spec = spec(sweep);
        @SuppressWarnings("unchecked")
        Map<String, Object> params = CanonicalJson.read(run.parameters, LinkedHashMap.class);
        Map<String, Object> ordered = new LinkedHashMap<>();
        spec.parameters().keySet().forEach(k -> {
            if (params.containsKey(k)) {
                ordered.put(k, params.get(k));
            }
        });
        Map<String, String> env = new LinkedHashMap<>(spec.env());
        env.put("REPRISE_RUN_ID", String.valueOf(run.id));
        env.put("REPRISE_ATTEMPT", String.valueOf(run.attempt));
        env.put("REPRISE_SWEEP_ID", String.valueOf(sweep.id));
        env.put("REPRISE_SWEEP", sweep.name);
        env.put("REPRISE_PROJECT", spec.project());
        env.put("REPRISE_TRIAL_INDEX", String.valueOf(run.index));
        env.put("REPRISE_PARAMS", CommandTemplate.toJson(ordered));
        long seed = run.seed != null ? run.seed : TrialConfig.trialSeed(spec.seed(), run.index);
        env.put("REPRISE_SEED", String.valueOf(seed));
        env.put("REPRISE_KAFKA_BOOTSTRAP", config.agentKafkaBootstrap());
        // the agent uploads REPRISE_OUTPUT_DIR (set by the executor) here when the command ends
        env.put("REPRISE_ARTIFACTS_URL", snapshotEnv.artifactsUrl(run.id, run.attempt));
        // the agent's only credential: it reports (Kafka header) and fetches its data (REST) for this attempt only
        env.put(RUN_TOKEN_ENV, runTokens.issue(run.id, run.attempt));
        if (spec.metric() != null) {
            env.put("REPRISE_OBJECTIVE", spec.metric().name());
        }
        if (run.dataSnapshotId != null) {
            // the agent downloads and verifies the frozen snapshot into the data directory before training
            env.putAll(snapshotEnv.env(run.dataSnapshotId, spec.data() == null ? "/data" : spec.data().mountPath()));
        }
        String configJson = CanonicalJson.canonical(TrialConfig.tree(spec, ordered, seed, run.dataSnapshotId));
        return new TrialLaunch(run.id, run.attempt, sweep.id, sweep.name, spec.project(), run.index, spec.image(),
                CommandTemplate.render(spec, ordered), env,
                new TrialLaunch.TrialResources(spec.resources().cpu(), spec.resources().memory(),
                        spec.resources().gpuCount(), spec.resources().gpuType(), spec.resources().nodes()),
                spec.queue(), spec.priority(), run.configHash, configJson, queues.placement(spec.queue()));
    }

    /** GPUs one trial of the sweep holds: nodes × GPUs per node. */
    public int gpusPerTrial(SweepEntity sweep) {
        return spec(sweep).resources().totalGpus();
    }

    private SweepSpec spec(SweepEntity sweep) {
        return specs.of(sweep);
    }
}
