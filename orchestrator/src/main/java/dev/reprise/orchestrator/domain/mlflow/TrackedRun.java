package dev.reprise.orchestrator.domain.mlflow;

import dev.reprise.orchestrator.domain.run.RunState;
import java.time.Instant;

/** A run as MLflow's RunInfo shows it. */
public record TrackedRun(long id, long sweepId, String project, String sweepName, String sweepLifecycle, int index,
        String runName, String userId, RunState state, int attempt, Instant createdAt, Instant startedAt,
        Instant finishedAt, String lifecycleStage, String executor, String parametersJson) {

    /** The executor of runs an MLflow client created. */
    public static final String TRACKING_EXECUTOR = "mlflow";

    /** Whether an MLflow client created it (its client drives its status) rather than the scheduler. */
    public boolean tracking() {
        return TRACKING_EXECUTOR.equals(executor);
    }

    public String displayName() {
        return runName != null ? runName : sweepName + "-" + index;
    }
}
