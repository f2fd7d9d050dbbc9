package dev.reprise.orchestrator.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record the ingest will not process, with the reason; it goes to the dead-letter topic, never retried. */
public record DeadLetter(ConsumerRecord<byte[], byte[]> record, Kind kind, String reason) {

    /** Why, in a few fixed words: the tag of the dead-letter counter. */
    public enum Kind {
        /** Not JSON, not the expected shape, or values the contract forbids. */
        MALFORMED,
        /** The record key is not the run id of the payload. */
        KEY_MISMATCH,
        /** The record lacks the run token of its run attempt, or carries another run's. */
        UNAUTHENTICATED,
        /** No run with that id exists. */
        UNKNOWN_RUN,
        /** The database refused the record's data (and only this record's). */
        REJECTED_BY_DATABASE;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
