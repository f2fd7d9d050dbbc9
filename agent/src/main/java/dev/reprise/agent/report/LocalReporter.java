package dev.reprise.agent.report;

import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.RunEvent;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Used when no Kafka bootstrap is configured: messages are counted and dropped; the process still runs. */
public final class LocalReporter implements Reporter {

    private final AtomicLong points = new AtomicLong();
    private final AtomicLong events = new AtomicLong();

    @Override
    public void metrics(MetricBatch batch) {
        points.addAndGet(batch.points().size());
    }

    @Override
    public void event(RunEvent event) {
        events.incrementAndGet();
    }

    @Override
    public boolean flush(Duration timeout) {
        return true;
    }

    @Override
    public void close() {
    }

    public long points() {
        return points.get();
    }

    public long events() {
        return events.get();
    }
}
