package dev.reprise.orchestrator.messaging;

import dev.reprise.api.messages.RunEvent;
import dev.reprise.orchestrator.metrics.LiveFeed;
import dev.reprise.orchestrator.metrics.LiveUpdate;
import dev.reprise.orchestrator.persistence.IngestBatch;
import dev.reprise.orchestrator.persistence.IngestStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * The Kafka consumer of agent reports: one thread, one consumer for both topics, a hand-written poll loop so that
 * the order of effects is explicit and easy to check:
 *
 * <ol>
 *   <li>poll up to {@code max-poll-records} records;</li>
 *   <li>{@link IngestProcessor#process}: write them in one database transaction (idempotent), publish dead
 *       letters and wait for their acknowledgement;</li>
 *   <li>only then commit the offsets ({@code commitSync});</li>
 *   <li>then tell the live streams.</li>
 * </ol>
 *
 * A crash anywhere before 3 redelivers the records, which changes nothing in the database. When the database or
 * Kafka is unavailable, the consumer seeks back to the first record of the failed poll, pauses its partitions and
 * keeps polling (so it stays in the group) while it backs off, then tries again: nothing is skipped. Between polls
 * it runs the {@link LostRunCheck}, so a silence is never judged while a batch with a heartbeat is being written.
 *
 * <p>See DESIGN.md in this package for why this is not a SmallRye {@code @Incoming} method.
 */
@ApplicationScoped
public class ReportIngest {

    private static final Logger LOG = Logger.getLogger(ReportIngest.class);

    private final IngestConfig config;
    private final KafkaClients kafka;
    private final IngestStore store;
    private final LostRunCheck lostRuns;
    private final LiveFeed live;
    private final MeterRegistry registry;

    private final String groupId;
    private volatile boolean running;
    private volatile boolean ready;
    private Thread thread;
    private KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, java.util.concurrent.atomic.AtomicLong> consumerLag = new ConcurrentHashMap<>();

    private final RecordDecoder.RunTokenCheck tokenCheck;
    private final RunSecrets runSecrets;

    public ReportIngest(IngestConfig config, KafkaClients kafka,
            IngestStore store, LostRunCheck lostRuns, LiveFeed live, MeterRegistry registry,
            dev.reprise.orchestrator.security.RunTokens runTokens,
            dev.reprise.orchestrator.security.SecurityConfig security, RunSecrets runSecrets) {
        this.runSecrets = runSecrets;
        this.tokenCheck = security.runTokensRequired() && security.enabled() ? runTokens::matches
                : RecordDecoder.RunTokenCheck.ACCEPT_ALL;
        this.config = config;
        this.kafka = kafka;
        this.store = store;
        this.lostRuns = lostRuns;
        this.live = live;
        this.registry = registry;
        this.groupId = config.privateGroup() ? config.groupId() + "-" + UUID.randomUUID() : config.groupId();
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts the consumer thread (again, after {@link #stop}). */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        ready = false;
        consumer = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaConsumer<byte[], byte[]> c = consumer;
        thread = new Thread(() -> run(c), "reprise-ingest");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops the consumer thread: the write in progress finishes, its offsets may or may not be committed (then the
     * records come again after a restart, harmlessly), and the consumer leaves the group.
     */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        ready = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(60).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the consumer owns partitions and knows where to read in each (it will see what is produced now). */
    public boolean ready() {
        return ready;
    }

    private Properties consumerConfig() {
        Properties p = kafka.base();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "reprise-ingest-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.autoOffsetReset());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxPollRecords()));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(32 * 1024 * 1024));
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        return p;
    }

    private void run(KafkaConsumer<byte[], byte[]> c) {
        Loop loop = new Loop(c);
        ExecutorService writers = config.writers() > 1 ? java.util.concurrent.Executors.newFixedThreadPool(
                config.writers(), r -> {
                    Thread t = new Thread(r, "reprise-ingest-writer");
                    t.setDaemon(true);
                    return t;
                }) : null;
        try (c; DeadLetters letters = new DeadLetters(kafka, config.deadLetterSuffix())) {
            loop.processor = new IngestProcessor(new RecordDecoder(config.metricsTopic(), tokenCheck, runSecrets), store, letters,
                    writers, config.writers());
            c.subscribe(List.of(config.metricsTopic(), config.eventsTopic()), loop);
            while (running) {
                try {
                    loop.once();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // Kafka timeouts during a rebalance, or a bug: nothing was committed for the records at hand,
                    // so they come again; wait a little instead of spinning.
                    LOG.warnf(e, "report ingest: poll failed; polling again in %s", config.retryBackoff());
                    sleep(config.retryBackoff());
                }
            }
        } catch (WakeupException e) {
            // stop() was called
        } finally {
            ready = false;
            if (writers != null) {
                writers.shutdown();
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The state of one consumer thread. */
    private final class Loop implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> c;
        private final Counter stored = registry.counter("reprise.ingest.points", "result", "stored");
        private final Counter duplicates = registry.counter("reprise.ingest.points", "result", "duplicate");
        private final Counter rejected = registry.counter("reprise.ingest.points", "result", "rejected");
        private final Counter lines = registry.counter("reprise.ingest.log.lines");
        private final Counter retries = registry.counter("reprise.ingest.retries");
        private final Counter lost = registry.counter("reprise.ingest.lost.runs");
        private final Timer writes = registry.timer("reprise.ingest.write");
        private IngestProcessor processor;
        private Duration backoff;
        private boolean failing;
        private long nextLostCheck = System.nanoTime();

        Loop(KafkaConsumer<byte[], byte[]> c) {
            this.c = c;
            this.backoff = config.retryBackoff();
        }

        void once() {
            ConsumerRecords<byte[], byte[]> records = c.poll(config.pollTimeout());
            if (!records.isEmpty()) {
                handle(records);
            }
            measureLag();
            if (System.nanoTime() - nextLostCheck >= 0) {
                nextLostCheck = System.nanoTime() + config.lostCheckInterval().toNanos();
                checkLostRuns();
            }
        }

        private void handle(ConsumerRecords<byte[], byte[]> records) {
            List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>(records.count());
            records.forEach(list::add);
            IngestProcessor.Outcome outcome;
            Timer.Sample sample = Timer.start(registry);
            try {
                outcome = processor.process(list);
            } catch (IngestProcessor.RetryLater | RuntimeException e) {
                retries.increment();
                if (!failing) {
                    LOG.warnf("report ingest: %s; retrying with backoff until it works", e.getMessage());
                    failing = true;
                }
                rewind(records);
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(config.maxRetryBackoff()) > 0 ? config.maxRetryBackoff()
                        : backoff.multipliedBy(2);
                return;
            }
            sample.stop(writes);
            if (failing) {
                LOG.info("report ingest: writing works again");
                failing = false;
            }
            backoff = config.retryBackoff();
            commit(records);
            count(outcome);
            publishLive(outcome.batches());
        }

        private void commit(ConsumerRecords<byte[], byte[]> records) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition tp : records.partitions()) {
                List<ConsumerRecord<byte[], byte[]>> part = records.records(tp);
                ConsumerRecord<byte[], byte[]> last = part.get(part.size() - 1);
                offsets.put(tp, new OffsetAndMetadata(last.offset() + 1, last.leaderEpoch(), ""));
            }
            try {
                c.commitSync(offsets);
            } catch (WakeupException e) {
                throw e;
            } catch (KafkaException e) {
                // The data is committed in the database; these records may come again and will change nothing.
                LOG.debugf("offset commit failed (%s); the records may be redelivered", e.toString());
            }
        }

        private void count(IngestProcessor.Outcome outcome) {
            for (IngestStore.Written w : outcome.written()) {
                stored.increment(w.pointsStored());
                duplicates.increment(w.pointsOffered() - w.pointsStored());
                lines.increment(w.logLinesStored());
            }
            for (IngestBatch b : outcome.batches()) {
                b.warnings().stream().filter(w -> w.source() == IngestBatch.Source.INGEST)
                        .forEach(w -> rejected.increment(w.count()));
            }
            for (DeadLetter d : outcome.deadLetters()) {
                registry.counter("reprise.ingest.dead.letters", "topic", d.record().topic(), "kind", d.kind().tag())
                        .increment();
                LOG.debugf("dead-lettered %s-%d@%d: %s", d.record().topic(), d.record().partition(),
                        d.record().offset(), d.reason());
            }
            if (!outcome.deadLetters().isEmpty()) {
                DeadLetter first = outcome.deadLetters().get(0);
                LOG.warnf("dead-lettered %d record(s) of this poll; the first, %s-%d@%d: %s",
                        outcome.deadLetters().size(), first.record().topic(), first.record().partition(),
                        first.record().offset(), first.reason());
            }
        }

        private void publishLive(List<IngestBatch> batches) {
            if (live.subscriberCount() == 0) {
                return;
            }
            for (IngestBatch b : batches) {
                Map<Long, List<LiveUpdate.LivePoint>> byRun = new HashMap<>();
                for (IngestBatch.Point p : b.points()) {
                    if (live.hasSubscribers(p.runId())) {
                        byRun.computeIfAbsent(p.runId(), id -> new ArrayList<>()).add(new LiveUpdate.LivePoint(
                                p.key(), p.attempt(), p.step(), p.seq(), p.value(), p.timestampMillis()));
                    }
                }
                byRun.forEach((run, points) -> live.publish(new LiveUpdate.Points(run, points)));
                for (RunEvent.Finished f : b.finishes()) {
                    live.publish(new LiveUpdate.Finished(f.runId(), f.attempt(), f.exitCode(), f.reason().name(),
                            f.signal(), f.finishedAtMillis()));
                }
            }
        }

        /** Seeks every partition of the failed poll back to its first record, so nothing is skipped. */
        private void rewind(ConsumerRecords<byte[], byte[]> records) {
            Set<TopicPartition> assigned = c.assignment();
            for (TopicPartition tp : records.partitions()) {
                if (assigned.contains(tp)) {
                    c.seek(tp, records.records(tp).get(0).offset());
                }
            }
        }

        /** Waits while staying in the group: pauses fetching and keeps polling. */
        private void pause(Duration wait) {
            c.pause(c.assignment());
            long until = System.nanoTime() + wait.toNanos();
            try {
                while (running && System.nanoTime() < until) {
                    long left = Math.max(1, (until - System.nanoTime()) / 1_000_000);
                    ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(Math.min(left, 200)));
                    if (!records.isEmpty()) {
                        rewind(records);
                    }
                }
            } finally {
                c.resume(c.paused());
            }
        }

        /**
         * Records not yet consumed on the partitions this instance owns, per topic, from what the last fetches said
         * of each partition's end (no broker round trip): the ingest's consumer lag at /q/metrics.
         */
        private void measureLag() {
            Map<String, Long> lag = new HashMap<>();
            for (TopicPartition tp : c.assignment()) {
                java.util.OptionalLong l = c.currentLag(tp);
                if (l.isPresent()) {
                    lag.merge(tp.topic(), l.getAsLong(), Long::sum);
                }
            }
            for (String topic : List.of(config.metricsTopic(), config.eventsTopic())) {
                consumerLag.computeIfAbsent(topic, t -> {
                    java.util.concurrent.atomic.AtomicLong value = new java.util.concurrent.atomic.AtomicLong();
                    io.micrometer.core.instrument.Gauge.builder("reprise.ingest.consumer.lag", value,
                                    java.util.concurrent.atomic.AtomicLong::get)
                            .description("Records on this instance's partitions of the topic not yet ingested")
                            .tag("topic", t).register(registry);
                    return value;
                }).set(lag.getOrDefault(topic, 0L));
            }
        }

        /**
         * Marks silent runs LOST, but only on the run-events partitions this consumer owns and has read to (nearly)
         * the end, as a broker round trip confirms just now.
         */
        private void checkLostRuns() {
            Set<TopicPartition> owned = new HashSet<>();
            for (TopicPartition tp : c.assignment()) {
                if (tp.topic().equals(config.eventsTopic())) {
                    owned.add(tp);
                }
            }
            if (owned.isEmpty() || failing) {
                return;
            }
            try {
                Map<TopicPartition, Long> ends = c.endOffsets(owned, Duration.ofSeconds(5));
                List<PartitionInfo> partitions = c.partitionsFor(config.eventsTopic(), Duration.ofSeconds(5));
                Set<Integer> heard = new HashSet<>();
                for (TopicPartition tp : owned) {
                    Long end = ends.get(tp);
                    if (end != null && end - c.position(tp, Duration.ofSeconds(5)) <= config.lostMaxLag()) {
                        heard.add(tp.partition());
                    }
                }
                if (!heard.isEmpty() && partitions != null && !partitions.isEmpty()) {
                    lost.increment(lostRuns.markSilentRuns(heard::contains, partitions.size()));
                }
            } catch (WakeupException e) {
                throw e;
            } catch (KafkaException e) {
                LOG.debugf("lost-run check skipped: Kafka did not answer (%s)", e.toString());
            } catch (java.sql.SQLException | RuntimeException e) {
                LOG.warnf("lost-run check failed: %s", e.toString());
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                c.position(tp);
            }
            ready = !c.assignment().isEmpty();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing in flight: records are fully written and committed before the next poll.
        }
    }
}
