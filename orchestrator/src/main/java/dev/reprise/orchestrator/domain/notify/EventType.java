package dev.reprise.orchestrator.domain.notify;

import java.util.Arrays;
import java.util.Optional;

/** The events a webhook subscribes to, by their wire names (docs/webhooks.md#events). */
public enum EventType {
    /** A sweep ended SUCCEEDED or was cancelled. */
    SWEEP_FINISHED("sweep.finished"),
    /** A sweep ended FAILED (its failure budget ran out, or no trial succeeded). */
    SWEEP_FAILED("sweep.failed"),
    /** A sweep stopped starting trials because it reached its GPU-hour budget. */
    BUDGET_REACHED("sweep.budget_reached"),
    /** A run finished with an objective value better than every earlier run of its sweep. */
    NEW_BEST_RUN("run.new_best"),
    /** A run failed for good (no retry left), with its failure cause. */
    RUN_FAILED("run.failed");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    /** The wire names, comma-separated, for error messages. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(EventType::wireName).toList());
    }
}
