package dev.reprise.agent;

import dev.reprise.agent.report.Reporter;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.MetricPoint;
import dev.reprise.api.messages.RunEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps everything an agent run reports, for assertions. Thread-safe. With a capacity it behaves like a buffer that
 * filled up: log chunks and metric batches past it are dropped and counted ({@link #dropped()}), other events kept.
 */
final class RecordingReporter implements Reporter {

    private final List<MetricBatch> batches = new ArrayList<>();
    private final List<RunEvent> events = new ArrayList<>();
    private final int capacity;
    private int reports;
    private long dropped;
    private boolean closed;

    RecordingReporter() {
        this(Integer.MAX_VALUE);
    }

    /** Keeps at most {@code capacity} log chunks and metric batches together. */
    RecordingReporter(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public synchronized void metrics(MetricBatch batch) {
        if (full()) {
            return;
        }
        batches.add(batch);
    }

    @Override
    public synchronized void event(RunEvent event) {
        if (event instanceof RunEvent.LogChunk && full()) {
            return;
        }
        events.add(event);
    }

    private boolean full() {
        if (reports >= capacity) {
            dropped++;
            return true;
        }
        reports++;
        return false;
    }

    @Override
    public synchronized long dropped() {
        return dropped;
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
