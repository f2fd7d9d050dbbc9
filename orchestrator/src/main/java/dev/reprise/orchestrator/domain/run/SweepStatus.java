package dev.reprise.orchestrator.domain.run;

/** The life of a sweep as a whole. */
public enum SweepStatus {
    /** Accepted; no trial has started yet. */
    QUEUED,
    RUNNING,
    /** Every trial ended, at least one succeeded, and the failure budget held. */
    SUCCEEDED,
    /** The failure budget (max_failed_trials) was exceeded, or every trial ended without one succeeding. */
    FAILED,
    CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
