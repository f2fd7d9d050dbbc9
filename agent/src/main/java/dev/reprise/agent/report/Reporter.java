package dev.reprise.agent.report;

import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.RunEvent;
import java.time.Duration;

/**
 * Ships the agent's messages to the orchestrator. {@link #metrics} and {@link #event} hand a message over and return
 * at once: they never wait for the transport, so the training process's output is never held up by reporting.
 */
public interface Reporter extends AutoCloseable {

    void metrics(MetricBatch batch);

    void event(RunEvent event);

    /** Messages given up so far (buffer and spill file full): the run is told their number at the end. */
    default long dropped() {
        return 0;
    }

    /** Waits up to {@code timeout} for everything handed over to be delivered; true when it was. */
    boolean flush(Duration timeout);

    /** Stops background work without waiting for delivery. */
    @Override
    void close();
}
