package dev.reprise.orchestrator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.api.messages.MessageCodec;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.MetricPoint;
import dev.reprise.api.messages.Topics;
import dev.reprise.orchestrator.messaging.ReportIngest;
import dev.reprise.orchestrator.messaging.Reports;
import dev.reprise.orchestrator.messaging.TestRuns;
import dev.reprise.orchestrator.persistence.BinaryCopy;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import dev.reprise.orchestrator.messaging.RecordDecoder;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * End-to-end ingest throughput, beside two baselines on the same table shape, in one run on one machine. Not part
 * of the test run (the name does not end in Test); run it with the command in docs/benchmarks.md:
 *
 * <pre>./mvnw -B -o -pl orchestrator test -Dtest=IngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * <ol>
 *   <li><b>end to end</b>: N simulated agents (one Kafka producer each, with the agent's producer settings: idempotent,
 *       acks=all, lz4, linger 20 ms, 512 KiB batches) send metric batches of 500 points through the real Kafka; the
 *       orchestrator's real ingest writes them into the real metric_points (dedup, summaries, offsets after commit).
 *       The clock runs from the first send until the summaries count every point. The agents' JSON is encoded before
 *       the clock starts: on a cluster that work happens on the training nodes, not on the ingest machine. A warm-up
 *       of 100,000 points through the same path (another run) goes first, so that the JIT has compiled it.</li>
 *   <li><b>batched JDBC</b>: what a user would write: multi-row {@code INSERT ... ON CONFLICT DO NOTHING} of 1,000
 *       points per statement, one transaction per statement, into a copy of metric_points (same columns, same
 *       primary key): dedup by point identity like Reprise's, but no summaries, no rollups, no Kafka.</li>
 *   <li><b>naive</b>: one JDBC INSERT per point with auto-commit (each point its own transaction).</li>
 *   <li><b>raw COPY</b>: the same points with one binary COPY into another copy of metric_points: no dedup, no
 *       summaries, no Kafka. The ceiling for this table on this machine.</li>
 * </ol>
 * Every baseline is warmed like Reprise's path: it first writes the warm-up points (its table is then emptied), in
 * the same JVM and run, so that the JIT has compiled it and PostgreSQL has the table's pages at hand.
 *
 * Sizes: {@code -Dbench.agents=8 -Dbench.points=1000000 -Dbench.naive-points=20000}.
 */
@QuarkusTest
@TestProfile(IngestBenchmark.PrivateTopics.class)
class IngestBenchmark {

    /** Private topics, so that no other orchestrator (a parallel test run) consumes the benchmark's records. */
    public static class PrivateTopics implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("reprise.ingest.metrics-topic", METRICS_TOPIC,
                    "reprise.ingest.events-topic", EVENTS_TOPIC,
                    "quarkus.log.category.\"dev.reprise.orchestrator.scheduling\".level", "WARN");
        }
    }

    static final String METRICS_TOPIC = "reprise.bench.metrics";
    static final String EVENTS_TOPIC = "reprise.bench.run-events";
    static final String[] KEYS = {"train/loss", "train/acc", "val/loss", "val/acc", "lr", "grad_norm", "tokens_per_s",
        "epoch_frac", "mem/allocated", "throughput"};
    static final int BATCH = 500;
    /** Points sent through the whole path before the clock starts, so that the JIT has compiled it. */
    static final int WARM_UP = 100_000;

    private final int agents = Integer.getInteger("bench.agents", 8);
    private final int totalPoints = Integer.getInteger("bench.points", 1_000_000);
    private final int naivePoints = Integer.getInteger("bench.naive-points", 20_000);

    @Inject
    ReportIngest ingest;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void measuresEndToEndIngestBesideNaiveInsertsAndRawCopy() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(ingest::ready);
        int perAgent = totalPoints / agents / BATCH * BATCH;
        List<Long> all = TestRuns.create(agents + 1);
        List<Long> runs = all.subList(0, agents);
        List<Long> warmUp = all.subList(agents, agents + 1);
        long startMillis = System.currentTimeMillis();
        List<List<MetricPoint>> points = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            points.add(points(perAgent, startMillis));
        }
        long total = (long) perAgent * agents;
        System.out.printf(Locale.ROOT, "%nReprise ingest benchmark: %d agents x %,d points = %,d points, batches of %d,"
                + " %d CPU cores%n", agents, perAgent, total, BATCH, Runtime.getRuntime().availableProcessors());
        try {
            endToEnd(warmUp, List.of(points(WARM_UP, startMillis)), WARM_UP);
            double e2e = endToEnd(runs, points, total);
            List<MetricPoint> warm = points(WARM_UP, startMillis);
            // each baseline is warmed with the warm-up points first (then its table is emptied), like Reprise's path
            batched(warmUp, List.of(warm), false);
            double batched = batched(runs, points, true);
            naive(warm.subList(0, Math.min(naivePoints, warm.size())), false);
            double naive = naive(points.get(0).subList(0, Math.min(naivePoints, perAgent)), true);
            rawCopy(warmUp, List.of(warm), false);
            double copy = rawCopy(runs, points, true);
            String row = "  %-72s %,10.0f points/s%n";
            System.out.printf(Locale.ROOT, row, "end to end (agents -> Kafka -> orchestrator -> PostgreSQL):", e2e);
            System.out.printf(Locale.ROOT, row, "baseline: batched JDBC, INSERT ... ON CONFLICT DO NOTHING x 1,000 per"
                    + " transaction:", batched);
            System.out.printf(Locale.ROOT, row, "baseline: naive JDBC INSERT per point, auto-commit:", naive);
            System.out.printf(Locale.ROOT, row, "baseline: raw binary COPY into the same table shape:", copy);
            System.out.printf(Locale.ROOT, "  end to end / batched = %.2fx, end to end / naive = %.1fx, end to end /"
                    + " raw COPY = %.2fx%n%n", e2e / batched, e2e / naive, e2e / copy);
        } finally {
            cleanUp(all);
        }
    }

    /** Ten keys per step, one point each; the agent's seq counts every point. */
    static List<MetricPoint> points(int n, long startMillis) {
        List<MetricPoint> out = new ArrayList<>(n);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            out.add(new MetricPoint(KEYS[i % KEYS.length], i / KEYS.length, startMillis + i, random.nextDouble(), i));
        }
        return out;
    }

    double endToEnd(List<Long> runs, List<List<MetricPoint>> points, long total) throws Exception {
        int count = runs.size();
        MessageCodec codec = new MessageCodec();
        List<List<byte[]>> encoded = new ArrayList<>();
        for (int a = 0; a < count; a++) {
            List<byte[]> batches = new ArrayList<>();
            List<MetricPoint> mine = points.get(a);
            for (int i = 0; i < mine.size(); i += BATCH) {
                batches.add(codec.encode(new MetricBatch(runs.get(a), 0, "bench-agent-" + a, i / BATCH,
                        mine.subList(i, i + BATCH))));
            }
            encoded.add(batches);
        }
        List<KafkaProducer<byte[], byte[]>> producers = new ArrayList<>();
        for (int a = 0; a < count; a++) {
            producers.add(new KafkaProducer<>(agentProducerConfig(a), new ByteArraySerializer(),
                    new ByteArraySerializer()));
            producers.get(a).partitionsFor(METRICS_TOPIC);
        }
        ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(count);
        try {
            long start = System.nanoTime();
            List<Future<?>> sent = new ArrayList<>();
            for (int a = 0; a < count; a++) {
                int agent = a;
                sent.add(senders.submit(() -> {
                    byte[] key = Topics.key(runs.get(agent)).getBytes(StandardCharsets.UTF_8);
                    byte[] token = dev.reprise.orchestrator.security.TestCredentials.runToken(runs.get(agent), 0)
                            .getBytes(StandardCharsets.UTF_8);
                    for (byte[] value : encoded.get(agent)) {
                        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(METRICS_TOPIC, key, value);
                        record.headers().add(dev.reprise.api.messages.RunHeaders.RUN_TOKEN, token);
                        producers.get(agent).send(record);
                    }
                    producers.get(agent).flush();
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(50))
                    .until(() -> summarised(runs) >= total);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(stored(runs)).as("points stored, each once").isEqualTo(total);
            if (total != WARM_UP) {
                System.out.printf(Locale.ROOT, "  (end to end: %,d points in %.2f s)%n", total, seconds);
            }
            return total / seconds;
        } finally {
            senders.shutdownNow();
            producers.forEach(p -> p.close(Duration.ofSeconds(10)));
        }
    }

    private static Properties agentProducerConfig(int agent) {
        // the orchestrator's credential: the benchmark's private topics are not the agents' report topics
        Properties p = dev.reprise.orchestrator.messaging.KafkaTestCredentials.orchestrator();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-agent-" + agent);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L * 1024 * 1024));
        return p;
    }

    /** Multi-row INSERT ... ON CONFLICT DO NOTHING, 1,000 points per statement and transaction. */
    private double batched(List<Long> runs, List<List<MetricPoint>> points, boolean report) throws SQLException {
        int rowsPerStatement = 1_000;
        StringBuilder sql = new StringBuilder("insert into bench_batched (run_id, key_id, step, attempt, seq, ts,"
                + " value) values ");
        for (int i = 0; i < rowsPerStatement; i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?)");
        }
        sql.append(" on conflict do nothing");
        try (Connection c = dataSource.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("drop table if exists bench_batched");
                st.execute("create table bench_batched (like metric_points including all)");
            }
            c.setAutoCommit(false);
            long rows = 0;
            long start = System.nanoTime();
            try (PreparedStatement full = c.prepareStatement(sql.toString())) {
                for (int a = 0; a < points.size(); a++) {
                    List<MetricPoint> agent = points.get(a);
                    for (int from = 0; from < agent.size(); from += rowsPerStatement) {
                        List<MetricPoint> chunk = agent.subList(from, Math.min(agent.size(), from + rowsPerStatement));
                        PreparedStatement ps = chunk.size() == rowsPerStatement ? full
                                : c.prepareStatement(sql.toString().replace(", (?, ?, ?, ?, ?, ?, ?)".repeat(
                                        rowsPerStatement - chunk.size()) + " on conflict", " on conflict"));
                        int i = 1;
                        for (MetricPoint p : chunk) {
                            ps.setLong(i++, runs.get(a));
                            ps.setInt(i++, keyIndex(p.key()));
                            ps.setLong(i++, p.step());
                            ps.setInt(i++, 0);
                            ps.setLong(i++, p.seq());
                            ps.setTimestamp(i++, Timestamp.from(Instant.ofEpochMilli(p.timestampMillis())));
                            ps.setDouble(i++, p.value());
                        }
                        rows += ps.executeUpdate();
                        c.commit();
                        if (ps != full) {
                            ps.close();
                        }
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            c.setAutoCommit(true);
            if (report) {
                System.out.printf(Locale.ROOT, "  (batched JDBC: %,d points in %.2f s)%n", rows, seconds);
            }
            return rows / seconds;
        }
    }

    private double naive(List<MetricPoint> sample, boolean report) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("drop table if exists bench_naive");
                st.execute("create table bench_naive (like metric_points including all)");
            }
            long start = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("insert into bench_naive (run_id, key_id, step, attempt,"
                    + " seq, ts, value) values (?, ?, ?, ?, ?, ?, ?)")) {
                for (MetricPoint p : sample) {
                    ps.setLong(1, 1);
                    ps.setInt(2, keyIndex(p.key()));
                    ps.setLong(3, p.step());
                    ps.setInt(4, 0);
                    ps.setLong(5, p.seq());
                    ps.setTimestamp(6, Timestamp.from(Instant.ofEpochMilli(p.timestampMillis())));
                    ps.setDouble(7, p.value());
                    ps.executeUpdate();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (report) {
                System.out.printf(Locale.ROOT, "  (naive: %,d points in %.2f s)%n", sample.size(), seconds);
            }
            return sample.size() / seconds;
        }
    }

    double rawCopy(List<Long> runs, List<List<MetricPoint>> points) throws SQLException {
        return rawCopy(runs, points, true);
    }

    double rawCopy(List<Long> runs, List<List<MetricPoint>> points, boolean report) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("drop table if exists bench_copy");
                st.execute("create table bench_copy (like metric_points including all)");
            }
            c.setAutoCommit(false);
            long start = System.nanoTime();
            BinaryCopy copy = BinaryCopy.start(c, "bench_copy", "run_id, key_id, step, attempt, seq, ts, value");
            long rows = 0;
            for (int a = 0; a < points.size(); a++) {
                for (MetricPoint p : points.get(a)) {
                    copy.row(7).int8(runs.get(a)).int4(keyIndex(p.key())).int8(p.step()).int4(0).int8(p.seq())
                            .timestampMillis(p.timestampMillis()).float8(p.value());
                    rows++;
                }
            }
            copy.finish();
            c.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            c.setAutoCommit(true);
            if (report) {
                System.out.printf(Locale.ROOT, "  (raw COPY: %,d points in %.2f s)%n", rows, seconds);
            }
            return rows / seconds;
        }
    }

    private static int keyIndex(String key) {
        for (int i = 0; i < KEYS.length; i++) {
            if (KEYS[i].equals(key)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException(key);
    }

    private long summarised(List<Long> runs) throws SQLException {
        return single("select coalesce(sum(points), 0) from metric_summaries where run_id = any(?)", runs);
    }

    private long stored(List<Long> runs) throws SQLException {
        return single("select count(*) from metric_points where run_id = any(?)", runs);
    }

    private long single(String sql, List<Long> runs) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Array ids = c.createArrayOf("bigint", runs.toArray());
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The benchmark leaves nothing behind in the test database but its (empty) runs. */
    void cleanUp(List<Long> runs) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("drop table if exists bench_naive");
            st.execute("drop table if exists bench_batched");
            st.execute("drop table if exists bench_copy");
            try (PreparedStatement ps = c.prepareStatement("delete from metric_points where run_id = any(?)");
                    PreparedStatement summaries = c.prepareStatement(
                            "delete from metric_summaries where run_id = any(?)");
                    PreparedStatement rollups = c.prepareStatement("delete from metric_rollups where run_id = any(?)");
                    PreparedStatement reports = c.prepareStatement("delete from agent_reports where run_id = any(?)")) {
                Array ids = c.createArrayOf("bigint", runs.toArray());
                for (PreparedStatement delete : List.of(ps, summaries, rollups, reports)) {
                    delete.setArray(1, ids);
                    delete.executeUpdate();
                }
            }
            // a million deleted rows would slow the next run (and every test) until autovacuum gets to them
            st.execute("vacuum metric_points");
            st.execute("vacuum metric_summaries");
            st.execute("vacuum metric_rollups");
        }
    }
}
