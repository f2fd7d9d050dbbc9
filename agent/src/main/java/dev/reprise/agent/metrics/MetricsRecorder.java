package dev.reprise.agent.metrics;

import dev.reprise.api.messages.MetricKeys;
import dev.reprise.api.messages.MetricPoint;

/**
 * Turns parsed lines from every source (output streams, metrics file) into {@link MetricPoint}s: validates keys, assigns steps and the run attempt's point sequence.
 * Thread-safe: the output reader and the metrics file tailer both feed it.
 */
public final class MetricsRecorder {

    private final MetricSink sink;
    private final StepCounter steps = new StepCounter();
    private long nextSeq;

    public MetricsRecorder(MetricSink sink) {
        this.sink = sink;
    }

    /** Parses {@code line}, seen at {@code timestampMillis}; returns how many points were accepted. */
    public int recordLine(LineParser parser, String line, long timestampMillis) {
        ParsedLine parsed = parser.parse(line);
        return parsed.isEmpty() ? 0 : record(parsed, timestampMillis);
    }

    public synchronized int record(ParsedLine line, long timestampMillis) {
        int accepted = 0;
        for (ParsedMetric metric : line.metrics()) {
            String reason = MetricKeys.rejection(metric.key()).orElse(null);
            if (reason != null) {
                sink.rejected(reason, metric.key());
                continue;
            }
            long step = steps.resolve(metric.key(), line.step());
            sink.point(new MetricPoint(metric.key(), step, timestampMillis, metric.value(), nextSeq++));
            accepted++;
        }
        return accepted;
    }

    /** How many points have been accepted so far; the next point's seq. */
    public synchronized long pointCount() {
        return nextSeq;
    }
}
