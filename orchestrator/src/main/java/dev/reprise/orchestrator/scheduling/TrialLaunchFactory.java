package dev.reprise.orchestrator.scheduling;

import dev.reprise.api.trial.KafkaCredential;
import dev.reprise.api.trial.TrialEnvironment;
import dev.reprise.api.trial.TrialVariable;
import dev.reprise.orchestrator.persistence.CanonicalJson;
import dev.reprise.orchestrator.domain.spec.CommandTemplate;
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
        long seed = run.seed != null ? run.seed : TrialConfig.trialSeed(spec.seed(), run.index);
        TrialEnvironment trial = TrialEnvironment.empty()
                .with(TrialVariable.RUN_ID, run.id)
                .with(TrialVariable.ATTEMPT, run.attempt)
                .with(TrialVariable.SWEEP_ID, sweep.id)
                .with(TrialVariable.SWEEP, sweep.name)
                .with(TrialVariable.PROJECT, spec.project())
                .with(TrialVariable.TRIAL_INDEX, run.index)
                .with(TrialVariable.PARAMS, CommandTemplate.toJson(ordered))
                .with(TrialVariable.SEED, seed)
                .with(TrialVariable.KAFKA_BOOTSTRAP, config.agentKafkaBootstrap())
                // the agent uploads REPRISE_OUTPUT_DIR (set by the executor) here when the command ends
                .with(TrialVariable.ARTIFACTS_URL, snapshotEnv.artifactsUrl(run.id, run.attempt))
                // the agent uploads complete checkpoints of REPRISE_CHECKPOINT_DIR here and restores the run's newest
                // one before the command starts (docs/checkpoints.md)
                .with(TrialVariable.CHECKPOINTS_URL, snapshotEnv.checkpointsUrl(run.id, run.attempt))
                // the agent's credential: it reports (Kafka header) and fetches its data (REST) for this attempt only
                .with(TrialVariable.RUN_TOKEN, runTokens.issue(run.id, run.attempt))
                // unchanged MLflow code attaches to this run: experiment = sweep, run = run, the run token as bearer
                .with(TrialVariable.MLFLOW_TRACKING_URI, snapshotEnv.mlflowUrl())
                .with(TrialVariable.MLFLOW_TRACKING_TOKEN, runTokens.issue(run.id, run.attempt))
                .with(TrialVariable.MLFLOW_EXPERIMENT_ID, sweep.id)
                .with(TrialVariable.MLFLOW_RUN_ID, run.id)
                .with(TrialVariable.OBJECTIVE, spec.metric() == null ? null : spec.metric().name());
        if (config.agentKafkaUsername().isPresent() && config.agentKafkaPassword().isPresent()) {
            // the agents' credential: write-only on the report topics where the broker enforces ACLs
            trial = trial.with(new KafkaCredential(config.agentKafkaUsername().get(),
                    config.agentKafkaPassword().get(), config.agentKafkaSaslMechanism()).toEnvironment());
        }
        if (spec.resources().nodes() > 1) {
            // a distributed trial's ranks meet here before training (executors that place ranks themselves drop it)
            trial = trial.with(TrialVariable.RENDEZVOUS_URL, snapshotEnv.rendezvousUrl(run.id, run.attempt));
        }
        if (run.dataSnapshotId != null) {
            // the agent downloads and verifies the frozen snapshot into the data directory before training
            trial = trial.with(snapshotEnv.env(run.dataSnapshotId,
                    spec.data() == null ? "/data" : spec.data().mountPath()));
        }
        // the sweep's own variables never use the REPRISE_ prefix (the spec parser refuses it)
        Map<String, String> env = new LinkedHashMap<>(spec.env());
        env.putAll(trial.toEnv());
        String configJson = CanonicalJson.canonical(TrialConfig.tree(spec, ordered, seed, run.dataSnapshotId));
        return new TrialLaunch(run.id, run.attempt, sweep.id, sweep.name, spec.project(), run.index, spec.image(),
                CommandTemplate.render(spec, ordered), env,
                new TrialLaunch.TrialResources(spec.resources().cpu(), spec.resources().memory(),
                        spec.resources().gpuCount(), spec.resources().gpuType(), spec.resources().nodes(),
                        spec.resources().timeLimitSeconds()),
                spec.queue(), spec.priority(), run.configHash, configJson, queues.placement(spec.queue()),
                spec.secretEnv());
    }

    /** GPUs one trial of the sweep holds: nodes × GPUs per node. */
    public int gpusPerTrial(SweepEntity sweep) {
        return spec(sweep).resources().totalGpus();
    }

    private SweepSpec spec(SweepEntity sweep) {
        return specs.of(sweep);
    }
}
