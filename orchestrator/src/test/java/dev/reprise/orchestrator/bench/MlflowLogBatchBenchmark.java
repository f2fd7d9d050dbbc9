package dev.reprise.orchestrator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.api.messages.MetricPoint;
import dev.reprise.orchestrator.messaging.ReportIngest;
import dev.reprise.orchestrator.messaging.TestRuns;
import dev.reprise.orchestrator.security.TestCredentials;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Points per second through the MLflow API's {@code runs/log-batch} from N concurrent HTTP clients (batches of
 * 1,000 metrics, MLflow's limit) into the real orchestrator and PostgreSQL, side by side in the same run with the
 * agent → Kafka → ingest path and raw binary COPY ({@link IngestBenchmark}'s measurements), each warmed up first
 * (100,000 points).
 * A log-batch answer means its points are committed, so the clock stops when the last answer arrives. Not part of
 * the test run; the command is in docs/mlflow.md:
 *
 * <pre>./mvnw -B -o -pl orchestrator test -Dtest=MlflowLogBatchBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Sizes: {@code -Dbench.clients=8 -Dbench.points=1000000}.
 */
@QuarkusTest
@TestProfile(IngestBenchmark.PrivateTopics.class)
class MlflowLogBatchBenchmark {

    static final int BATCH = 1000;
    static final int WARM_UP = 100_000;

    private final int clients = Integer.getInteger("bench.clients", 8);
    private final int totalPoints = Integer.getInteger("bench.points", 1_000_000);

    @TestHTTPResource("/mlflow/api/2.0/mlflow/runs/log-batch")
    URL logBatch;

    @Inject
    ReportIngest ingest;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void measuresLogBatchBesideTheAgentPathAndRawCopy() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(ingest::ready);
        IngestBenchmark agentPath = new IngestBenchmark();
        agentPath.ingest = ingest;
        agentPath.dataSource = dataSource;
        int perClient = totalPoints / clients / BATCH * BATCH;
        long total = (long) perClient * clients;
        List<Long> all = TestRuns.create(3 * clients + 2);
        List<Long> mlflowRuns = all.subList(0, clients);
        List<Long> agentRuns = all.subList(clients, 2 * clients);
        List<Long> copyRuns = all.subList(2 * clients, 3 * clients);
        long start = System.currentTimeMillis();
        List<List<MetricPoint>> points = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            points.add(IngestBenchmark.points(perClient, start));
        }
        double load = loadAverage();
        System.out.printf(Locale.ROOT, "%nMLflow log-batch benchmark: %d clients x %,d points = %,d points, batches of"
                + " %d, %d CPU cores, load average %.2f%n", clients, perClient, total, BATCH,
                Runtime.getRuntime().availableProcessors(), load);
        try {
            logBatch(all.subList(3 * clients, 3 * clients + 1), List.of(IngestBenchmark.points(WARM_UP, start)),
                    WARM_UP);
            agentPath.endToEnd(all.subList(3 * clients + 1, 3 * clients + 2),
                    List.of(IngestBenchmark.points(WARM_UP, start)), WARM_UP);
            // COPY warmed up too (its table is dropped and made again by the measured run)
            agentPath.rawCopy(all.subList(3 * clients, 3 * clients + 1), List.of(IngestBenchmark.points(WARM_UP,
                    start)), false);
            double mlflow = logBatch(mlflowRuns, points, total);
            double agent = agentPath.endToEnd(agentRuns, points, total);
            double copy = agentPath.rawCopy(copyRuns, points);
            String row = "  %-66s %,10.0f points/s%n";
            System.out.printf(Locale.ROOT, row, "MLflow log-batch (HTTP clients -> orchestrator -> PostgreSQL):",
                    mlflow);
            System.out.printf(Locale.ROOT, row, "agent path (agents -> Kafka -> orchestrator -> PostgreSQL):", agent);
            System.out.printf(Locale.ROOT, row, "raw binary COPY into the same table shape:", copy);
            System.out.printf(Locale.ROOT, "  log-batch / MLflow's published ~7,700 points/s = %.1fx; log-batch /"
                    + " agent path = %.2fx; log-batch / raw COPY = %.2fx; load average after: %.2f%n%n",
                    mlflow / 7700, mlflow / agent, mlflow / copy, loadAverage());
        } finally {
            agentPath.cleanUp(all);
        }
    }

    private double logBatch(List<Long> runs, List<List<MetricPoint>> points, long total) throws Exception {
        List<List<String>> bodies = new ArrayList<>();
        for (int c = 0; c < runs.size(); c++) {
            List<String> mine = new ArrayList<>();
            List<MetricPoint> ps = points.get(c);
            for (int i = 0; i < ps.size(); i += BATCH) {
                StringBuilder sb = new StringBuilder("{\"run_id\":\"").append(runs.get(c)).append("\",\"metrics\":[");
                for (int j = i; j < i + BATCH; j++) {
                    MetricPoint p = ps.get(j);
                    if (j > i) {
                        sb.append(',');
                    }
                    sb.append("{\"key\":\"").append(p.key()).append("\",\"value\":").append(p.value())
                            .append(",\"timestamp\":").append(p.timestampMillis()).append(",\"step\":")
                            .append(p.step()).append('}');
                }
                mine.add(sb.append("]}").toString());
            }
            bodies.add(mine);
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(runs.size());
        try {
            long t0 = System.nanoTime();
            List<Future<?>> sent = new ArrayList<>();
            for (int c = 0; c < runs.size(); c++) {
                List<String> mine = bodies.get(c);
                sent.add(senders.submit(() -> {
                    for (String body : mine) {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(logBatch.toString()))
                                .header("Authorization", TestCredentials.adminBearer())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(stored(runs)).as("points stored, each once").isEqualTo(total);
            if (total != WARM_UP) {
                System.out.printf(Locale.ROOT, "  (log-batch: %,d points in %.2f s)%n", total, seconds);
            }
            return total / seconds;
        } finally {
            senders.shutdownNow();
        }
    }

    private long stored(List<Long> runs) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from metric_points where run_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", runs.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static double loadAverage() throws Exception {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }
}
