package dev.reprise.agent.report;

import java.time.Duration;
import java.util.function.Consumer;

/** Delivers envelopes somewhere; the seam between {@link BufferedReporter} and Kafka. */
interface Transport {

    /**
     * Starts sending {@code e}; {@code done} later receives null on delivery or the failure. May block for a bounded
     * time (only the sender thread calls it). Any exception it throws counts as a failure of {@code e}.
     */
    void send(Envelope e, Consumer<Exception> done);

    /** Releases resources, waiting at most {@code timeout} for records in flight. */
    void close(Duration timeout);

    /** Where this transport delivers, for messages. */
    String describe();
}
