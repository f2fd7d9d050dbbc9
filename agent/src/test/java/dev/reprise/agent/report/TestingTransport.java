package dev.reprise.agent.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A transport that is "down" (fails every send) until told otherwise, and records what it delivered. */
final class TestingTransport implements Transport {

    private final List<Envelope> delivered = new ArrayList<>();
    private volatile boolean up;
    private volatile int attempts;

    void setUp(boolean up) {
        this.up = up;
    }

    int attempts() {
        return attempts;
    }

    synchronized List<Envelope> delivered() {
        return List.copyOf(delivered);
    }

    @Override
    public void send(Envelope e, Consumer<Exception> done) {
        attempts++;
        if (!up) {
            done.accept(new IllegalStateException("broker down"));
            return;
        }
        synchronized (this) {
            delivered.add(e);
        }
        done.accept(null);
    }

    @Override
    public void close(Duration timeout) {
    }

    @Override
    public String describe() {
        return "testing transport";
    }
}
