package dev.reprise.orchestrator.domain.run;

import java.util.EnumMap;
import java.util.Map;

/**
 * How often a run is tried again after an attempt ends badly. Failures the user caused (exit code, OOM) are not
 * retried by default; the platform's failures are. Preemption always requeues, up to {@code maxPreemptions}, and
 * never counts as a failure.
 */
public final class RetryPolicy {

    public static final RetryPolicy DEFAULTS = new RetryPolicy(Map.of(
            FailureCause.USER_ERROR, 0,
            FailureCause.OOM_KILLED, 0,
            FailureCause.TIME_LIMIT, 0,
            FailureCause.DATA_ERROR, 0,
            FailureCause.IMAGE_PULL, 1,
            FailureCause.INFRASTRUCTURE, 3,
            FailureCause.LAUNCH_ERROR, 3), 5);

    private final Map<FailureCause, Integer> retries;
    private final int maxPreemptions;

    public RetryPolicy(Map<FailureCause, Integer> retries, int maxPreemptions) {
        this.retries = new EnumMap<>(FailureCause.class);
        for (FailureCause c : FailureCause.values()) {
            this.retries.put(c, retries.getOrDefault(c, 0));
        }
        this.maxPreemptions = maxPreemptions;
    }

    /** Whether a run whose attempt {@code attempt} (0-based) failed with {@code cause} gets another attempt. */
    public boolean retriesAfter(FailureCause cause, int failuresOfThisCause) {
        return failuresOfThisCause <= retries.get(cause);
    }

    /** Whether a run preempted for the {@code preemptions}-th time is requeued. */
    public boolean requeuesAfterPreemption(int preemptions) {
        return preemptions <= maxPreemptions;
    }

    public int maxPreemptions() {
        return maxPreemptions;
    }

    public int retries(FailureCause cause) {
        return retries.get(cause);
    }
}
