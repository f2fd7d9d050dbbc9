package dev.reprise.api.messages;

/** Kafka topics between the agent and the orchestrator. Both are keyed by {@link #key(long) the run id}. */
public final class Topics {

    /** Values are {@link MetricBatch} JSON documents. */
    public static final String METRICS = "reprise.metrics";

    /** Values are {@link RunEvent} JSON documents with a {@code type} discriminator. */
    public static final String RUN_EVENTS = "reprise.run-events";

    private Topics() {
    }

    /** The record key on both topics: the run id in decimal, so that one run's messages stay in one partition. */
    public static String key(long runId) {
        return Long.toString(runId);
    }
}
