package dev.reprise.orchestrator.domain.mlflow;

import dev.reprise.orchestrator.domain.run.RunState;
import java.util.Optional;

/** MLflow's run statuses and how Reprise's run states show through them (and back, for tracking runs). */
public enum MlflowStatus {
    RUNNING, SCHEDULED, FINISHED, FAILED, KILLED;

    public static MlflowStatus of(RunState state) {
        return switch (state) {
            case QUEUED, LAUNCHING, PREEMPTED -> SCHEDULED;
            case RUNNING -> RUNNING;
            case SUCCEEDED -> FINISHED;
            case FAILED, LOST -> FAILED;
            case CANCELLED, STOPPED_EARLY -> KILLED;
        };
    }

    /** The run state a tracking run takes when its client reports this status. */
    public RunState state() {
        return switch (this) {
            case RUNNING -> RunState.RUNNING;
            case SCHEDULED -> RunState.QUEUED;
            case FINISHED -> RunState.SUCCEEDED;
            case FAILED -> RunState.FAILED;
            case KILLED -> RunState.CANCELLED;
        };
    }

    public static Optional<MlflowStatus> parse(String name) {
        for (MlflowStatus s : values()) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The SQL expression giving a run's MLflow status from its {@code state} column. */
    public static String sql(String stateColumn) {
        return "(case when " + stateColumn + " in ('QUEUED','LAUNCHING','PREEMPTED') then 'SCHEDULED' when "
                + stateColumn + " = 'RUNNING' then 'RUNNING' when " + stateColumn + " = 'SUCCEEDED' then 'FINISHED' "
                + "when " + stateColumn + " in ('FAILED','LOST') then 'FAILED' else 'KILLED' end)";
    }
}
