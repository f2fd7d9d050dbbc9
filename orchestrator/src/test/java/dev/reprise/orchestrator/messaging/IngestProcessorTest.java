package dev.reprise.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.api.messages.MessageCodec;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.MetricPoint;
import dev.reprise.api.messages.Topics;
import dev.reprise.orchestrator.persistence.IngestBatch;
import dev.reprise.orchestrator.persistence.IngestStore;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a poll is written, split and dead-lettered, with hand-written stand-ins for the database and Kafka. */
class IngestProcessorTest {

    private final MessageCodec codec = new MessageCodec();
    private final TestingStore store = new TestingStore();
    private final TestingDeadLetters letters = new TestingDeadLetters();
    private final ExecutorService writers = Executors.newFixedThreadPool(2);
    private final IngestProcessor processor = new IngestProcessor(new RecordDecoder(Topics.METRICS), store, letters,
            writers, 2);
    private long offset;

    @AfterEach
    void stopWriters() {
        writers.shutdownNow();
    }

    @Test
    void writesThePollInParallelTransactionsByRun() throws Exception {
        IngestProcessor.Outcome outcome = processor.process(List.of(batch(1), batch(2), batch(3), batch(4)));

        assertThat(outcome.deadLetters()).isEmpty();
        assertThat(store.writes).hasSizeGreaterThanOrEqualTo(1).hasSizeLessThanOrEqualTo(2);
        assertThat(store.writes.stream().flatMap(b -> b.points().stream()).map(IngestBatch.Point::runId))
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
    }

    @Test
    void deadLettersOnlyTheRecordWhoseDataTheDatabaseRefuses() throws Exception {
        store.refuse = 3;

        IngestProcessor.Outcome outcome = processor.process(List.of(batch(1), batch(3), batch(4)));

        assertThat(outcome.deadLetters()).extracting(DeadLetter::kind)
                .containsExactly(DeadLetter.Kind.REJECTED_BY_DATABASE);
        assertThat(outcome.deadLetters().get(0).record().offset()).isEqualTo(1);
        assertThat(outcome.deadLetters().get(0).reason()).contains("SQLState 22P05");
        assertThat(letters.published).hasSize(1);
        assertThat(outcome.batches().stream().flatMap(b -> b.points().stream()).map(IngestBatch.Point::runId))
                .containsExactlyInAnyOrder(1L, 4L);
    }

    @Test
    void asksToRetryTheWholePollWhenTheDatabaseIsUnavailable() {
        store.unavailable = true;

        assertThatThrownBy(() -> processor.process(List.of(batch(1), batch(2))))
                .isInstanceOf(IngestProcessor.RetryLater.class).hasMessageContaining("08006");
        assertThat(letters.published).isEmpty();
    }

    @Test
    void asksToRetryWhenDeadLettersCannotBePublished() {
        letters.broken = true;

        assertThatThrownBy(() -> processor.process(List.of(batch(99))))
                .isInstanceOf(IngestProcessor.RetryLater.class);
    }

    private ConsumerRecord<byte[], byte[]> batch(long run) {
        byte[] value = codec.encode(new MetricBatch(run, 0, "a", 0, List.of(new MetricPoint("loss", 1, 1, 0.5, 0))));
        return new ConsumerRecord<>(Topics.METRICS, 0, offset++, Topics.key(run).getBytes(StandardCharsets.UTF_8),
                value);
    }

    /** Runs 1 to 10 exist; a write containing run {@code refuse} fails with a data error. */
    private static final class TestingStore extends IngestStore {
        final List<IngestBatch> writes = new CopyOnWriteArrayList<>();
        volatile long refuse = -1;
        volatile boolean unavailable;

        TestingStore() {
            super(null, null);
        }

        @Override
        public Set<Long> existingRuns(Collection<Long> runIds) {
            Set<Long> out = new HashSet<>();
            runIds.stream().filter(id -> id >= 1 && id <= 10).forEach(out::add);
            return out;
        }

        @Override
        public Written write(IngestBatch batch) throws SQLException {
            if (unavailable) {
                throw new SQLException("connection refused", "08006");
            }
            if (batch.points().stream().anyMatch(p -> p.runId() == refuse)) {
                throw new SQLException("invalid byte sequence", "22P05");
            }
            writes.add(batch);
            return new Written(batch.points().size(), batch.points().size(), 0, 0);
        }
    }

    private static final class TestingDeadLetters extends DeadLetters {
        final List<DeadLetter> published = new ArrayList<>();
        boolean broken;

        TestingDeadLetters() {
            super(new KafkaClients("unused:9092", java.util.Map.of()), ".dead-letter");
        }

        @Override
        void publish(List<DeadLetter> letters) throws DeliveryException {
            if (broken && !letters.isEmpty()) {
                throw new DeliveryException("broker away", null);
            }
            published.addAll(letters);
        }
    }
}
