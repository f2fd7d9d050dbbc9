package dev.reprise.orchestrator.messaging;

import dev.reprise.orchestrator.persistence.IngestBatch;
import dev.reprise.orchestrator.persistence.IngestStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Processes one poll's records: decode, drop what cannot be processed into dead letters, write the rest (split by
 * run into parallel transactions, see {@link IngestBatch#shard}). Exactly once in effect: every write is idempotent
 * (see {@link IngestStore}), and the caller commits the Kafka offsets only after {@link #process} returned, that is
 * after the database commits and after the dead letters were acknowledged.
 *
 * <p>Failures: a database or Kafka outage ({@link RetryLater}) leaves everything to be tried again. A batch that
 * the database refuses for its data is split into single records, so only the offending record is dead-lettered
 * and the partition moves on.
 *
 * <p>Not thread-safe: one instance per consumer thread.
 */
final class IngestProcessor {

    private static final int KNOWN_RUNS_CACHED = 100_000;

    private final RecordDecoder decoder;
    private final IngestStore store;
    private final DeadLetters deadLetters;
    private final ExecutorService writers;
    private final int parallelism;
    private final Map<Long, Boolean> knownRuns = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > KNOWN_RUNS_CACHED;
        }
    };

    /**
     * @param writers     runs the parallel write transactions; null writes each poll in one transaction
     * @param parallelism how many transactions one poll is split into (by run)
     */
    IngestProcessor(RecordDecoder decoder, IngestStore store, DeadLetters deadLetters, ExecutorService writers,
            int parallelism) {
        this.decoder = decoder;
        this.store = store;
        this.deadLetters = deadLetters;
        this.writers = writers;
        this.parallelism = parallelism;
    }

    /** What was stored and dead-lettered; {@code batches} holds what the database committed. */
    record Outcome(List<IngestBatch> batches, List<IngestStore.Written> written, List<DeadLetter> deadLetters) {
    }

    /** Nothing is lost by giving up now: the same records must be processed again later. */
    static final class RetryLater extends Exception {
        private static final long serialVersionUID = 1L;

        RetryLater(String message, Throwable cause) {
            super(message, cause);
        }
    }

    Outcome process(List<ConsumerRecord<byte[], byte[]>> records) throws RetryLater {
        List<RecordDecoder.Decoded> decoded = records.stream().map(decoder::decode).toList();
        Set<Long> known = known(decoded);
        List<IngestBatch> batches = new ArrayList<>();
        List<IngestStore.Written> written = new ArrayList<>();
        List<DeadLetter> letters = new ArrayList<>();
        try {
            RecordDecoder.Translation all = decoder.translate(decoded, known);
            List<IngestBatch> shards = all.batch().shard(writers == null ? 1 : parallelism);
            written.addAll(writeInParallel(shards));
            batches.addAll(shards);
            letters.addAll(all.deadLetters());
        } catch (SQLException e) {
            if (retryable(e)) {
                throw new RetryLater("database unavailable: " + describe(e), e);
            }
            oneByOne(decoded, known, batches, written, letters);
        } catch (RuntimeException e) {
            oneByOne(decoded, known, batches, written, letters);
        }
        try {
            deadLetters.publish(letters);
        } catch (DeadLetters.DeliveryException e) {
            throw new RetryLater(e.getMessage(), e);
        }
        return new Outcome(batches, written, letters);
    }

    /**
     * Writes the shards in parallel transactions and waits for all of them. When one fails, the others may have
     * committed; that is harmless, because the whole poll is written again (idempotently) or split record by record.
     */
    private List<IngestStore.Written> writeInParallel(List<IngestBatch> shards) throws SQLException {
        if (shards.size() <= 1) {
            return shards.isEmpty() ? List.of() : List.of(store.write(shards.get(0)));
        }
        List<Future<IngestStore.Written>> futures = new ArrayList<>();
        for (IngestBatch shard : shards) {
            futures.add(writers.submit(() -> store.write(shard)));
        }
        List<IngestStore.Written> out = new ArrayList<>();
        Throwable failure = null;
        for (Future<IngestStore.Written> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? e : failure;
            }
        }
        if (failure instanceof SQLException sql) {
            throw sql;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure != null) {
            throw new IllegalStateException("parallel write failed", failure);
        }
        return out;
    }

    /** Each record in a transaction of its own; a record the database refuses is dead-lettered alone. */
    private void oneByOne(List<RecordDecoder.Decoded> decoded, Set<Long> known, List<IngestBatch> batches,
            List<IngestStore.Written> written, List<DeadLetter> letters) throws RetryLater {
        batches.clear();
        written.clear();
        letters.clear();
        for (RecordDecoder.Decoded d : decoded) {
            try {
                RecordDecoder.Translation single = decoder.translate(List.of(d), known);
                letters.addAll(single.deadLetters());
                if (!single.batch().isEmpty()) {
                    written.add(store.write(single.batch()));
                    batches.add(single.batch());
                }
            } catch (SQLException e) {
                if (retryable(e)) {
                    throw new RetryLater("database unavailable: " + describe(e), e);
                }
                letters.add(new DeadLetter(d.record(), DeadLetter.Kind.REJECTED_BY_DATABASE,
                        "the database refused the record: " + describe(e)));
            } catch (RuntimeException e) {
                letters.add(new DeadLetter(d.record(), DeadLetter.Kind.REJECTED_BY_DATABASE,
                        "the record could not be written: " + e));
            }
        }
    }

    private Set<Long> known(List<RecordDecoder.Decoded> decoded) throws RetryLater {
        Set<Long> known = new HashSet<>();
        Set<Long> unknown = new HashSet<>();
        for (RecordDecoder.Decoded d : decoded) {
            long id = d.runId();
            if (id < 0) {
                continue;
            }
            if (knownRuns.get(id) != null) {
                known.add(id);
            } else {
                unknown.add(id);
            }
        }
        if (!unknown.isEmpty()) {
            try {
                for (long id : store.existingRuns(unknown)) {
                    knownRuns.put(id, Boolean.TRUE);
                    known.add(id);
                }
            } catch (SQLException e) {
                throw new RetryLater("database unavailable: " + describe(e), e);
            }
        }
        return known;
    }

    /**
     * Data exceptions (class 22) and integrity violations (class 23) belong to the data and will fail again;
     * everything else (connections, deadlocks, shutdowns, a missing table during a deployment) may pass later.
     */
    static boolean retryable(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null) {
                return !(state.startsWith("22") || state.startsWith("23"));
            }
        }
        return true;
    }

    private static String describe(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return (e.getSQLState() == null ? "" : "SQLState " + e.getSQLState() + ": ")
                + (newline < 0 ? message : message.substring(0, newline));
    }
}
