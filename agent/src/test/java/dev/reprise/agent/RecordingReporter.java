package dev.reprise.agent;

import dev.reprise.agent.report.Reporter;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.MetricPoint;
import dev.reprise.api.messages.RunEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Keeps everything an agent run reports, for assertions. Thread-safe. */
final class RecordingReporter implements Reporter {

    private final List<MetricBatch> batches = new ArrayList<>();
    private final List<RunEvent> events = new ArrayList<>();
    private boolean closed;

    @Override
    public synchronized void metrics(MetricBatch batch) {
        batches.add(batch);
    }

    @Override
    public synchronized void event(RunEvent event) {
        events.add(event);
    }

    @Override
    public boolean flush(Duration timeout) {
        return true;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    synchronized boolean closed() {
        return closed;
    }

    synchronized List<MetricPoint> points() {
        return batches.stream().flatMap(b -> b.points().stream()).toList();
    }

    synchronized List<RunEvent> events() {
        return List.copyOf(events);
    }

    synchronized <T extends RunEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
