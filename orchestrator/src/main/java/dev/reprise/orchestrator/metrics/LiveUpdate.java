package dev.reprise.orchestrator.metrics;

import java.util.List;

/** What the live stream of a run carries: new points, and the end of an attempt. */
public sealed interface LiveUpdate permits LiveUpdate.Points, LiveUpdate.Finished {

    long runId();

    /** Points just committed, in the order they arrived. Delivery is at least once: dedupe by identity. */
    record Points(long runId, List<LivePoint> points) implements LiveUpdate {
        public Points {
            points = List.copyOf(points);
        }
    }

    /** The agent reported that the training process of an attempt ended. */
    record Finished(long runId, int attempt, int exitCode, String stopReason, Integer signal, long atMillis)
            implements LiveUpdate {
    }

    /** One point; (attempt, key, step, seq) is its identity within the run. */
    record LivePoint(String key, int attempt, long step, long seq, double value, long timestampMillis) {
    }
}
