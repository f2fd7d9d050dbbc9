package dev.reprise.agent.report;

import dev.reprise.api.messages.MetricKeys;
import dev.reprise.agent.AgentLog;
import dev.reprise.agent.metrics.MetricSink;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.MetricPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects accepted points into {@link MetricBatch}es of at most {@code maxPoints}, sent when full or when the
 * oldest point has waited {@code lingerMillis}; collects key rejections into {@code MetricWarning} events. Thread-safe.
 */
public final class MetricBatcher implements MetricSink {

    static final long WARNING_INTERVAL_MILLIS = 5_000;

    private final RunContext run;
    private final Reporter reporter;
    private final AgentLog log;
    private final int maxPoints;
    private final long lingerMillis;
    private final Map<String, Rejections> rejections = new LinkedHashMap<>();
    private List<MetricPoint> pending = new ArrayList<>();
    private long oldestMillis;
    private long batchSeq;
    private long lastWarningMillis;

    public MetricBatcher(RunContext run, Reporter reporter, AgentLog log, int maxPoints, long lingerMillis) {
        this.run = run;
        this.reporter = reporter;
        this.log = log;
        this.maxPoints = maxPoints;
        this.lingerMillis = lingerMillis;
    }

    @Override
    public synchronized void point(MetricPoint point) {
        if (pending.isEmpty()) {
            oldestMillis = System.currentTimeMillis();
        }
        pending.add(point);
        if (pending.size() >= maxPoints) {
            send();
        }
    }

    @Override
    public synchronized void rejected(String reason, String key) {
        log.warnOnce("rejected-key", "ignoring metric '" + MetricKeys.printable(key) + "': " + reason
                + " (further rejections are only counted)");
        rejections.computeIfAbsent(reason, r -> new Rejections(MetricKeys.printable(key))).count++;
    }

    /** Sends the pending batch if its oldest point is old enough; sends warnings at most every 5 seconds. */
    public synchronized void flushIfDue(long nowMillis) {
        if (!pending.isEmpty() && nowMillis - oldestMillis >= lingerMillis) {
            send();
        }
        if (nowMillis - lastWarningMillis >= WARNING_INTERVAL_MILLIS) {
            flushWarnings(nowMillis);
        }
    }

    /** Sends whatever is pending. */
    public synchronized void flush() {
        if (!pending.isEmpty()) {
            send();
        }
        flushWarnings(System.currentTimeMillis());
    }

    private void send() {
        reporter.metrics(new MetricBatch(run.runId(), run.attempt(), run.agentId(), batchSeq++, pending));
        pending = new ArrayList<>();
    }

    private void flushWarnings(long nowMillis) {
        if (rejections.isEmpty()) {
            return;
        }
        lastWarningMillis = nowMillis;
        rejections.forEach((reason, r) -> reporter.event(run.metricWarning(r.count, reason, r.example, nowMillis)));
        rejections.clear();
    }

    private static final class Rejections {
        private final String example;
        private long count;

        Rejections(String example) {
            this.example = example;
        }
    }
}
