package dev.reprise.orchestrator.domain.run;

/**
 * Why an attempt failed. Only USER_ERROR, OOM_KILLED and TIME_LIMIT count against a sweep's max_failed_trials; the
 * others are the platform's fault and are retried up to their own limits.
 */
public enum FailureCause {
    /** The training process exited non-zero. */
    USER_ERROR(true),
    /** The container exceeded its memory limit. */
    OOM_KILLED(true),
    /** The attempt ran longer than the sweep's {@code resources.timeLimit} and was stopped. */
    TIME_LIMIT(true),
    /** The trial's data snapshot did not verify (a missing or corrupt blob): found before training started. */
    DATA_ERROR(false),
    /** The image could not be pulled (bad reference, missing credentials). */
    IMAGE_PULL(false),
    /** The node or the platform failed (node lost, kubelet error, agent could not report). */
    INFRASTRUCTURE(false),
    /** The orchestrator could not create the trial (API errors past their retries). */
    LAUNCH_ERROR(false),
    /** Preempted or evicted more often than {@code reprise.scheduler.max-preemptions} allows. */
    PREEMPTED(false);

    private final boolean countsAgainstBudget;

    FailureCause(boolean countsAgainstBudget) {
        this.countsAgainstBudget = countsAgainstBudget;
    }

    public boolean countsAgainstBudget() {
        return countsAgainstBudget;
    }
}
