package dev.reprise.orchestrator.bench;

import static io.restassured.RestAssured.given;

import dev.reprise.orchestrator.persistence.MetricsQuery;
import dev.reprise.orchestrator.persistence.MetricRollups;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * How fast the dashboard's reads answer at scale: a sweep of 10,000 runs (submitted through the REST API, so expanded
 * and stored by the real code) whose runs all have metric summaries, one run with a 1,000,000-point series and one
 * with 100,000 points, loaded with COPY, and their block rollups (which the ingest writes along with the points)
 * built by {@link MetricRollups#rebuild}. Then each request the sweep page makes is timed over the loopback: the first
 * page of the run table (default order, sorted by the objective, by a parameter, filtered by state), the sweeps
 * overview, the parallel-coordinates rows, and the series downsampled to a chart's width. Warm-up first, then
 * p50/p95/max.
 *
 * <p>Not part of the test run (the name does not end in Test); the command is in docs/benchmarks.md:
 *
 * <pre>./mvnw -B -o -pl orchestrator test -Dtest=SweepPageBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Sizes: {@code -Dbench.runs=10000 -Dbench.points=1000000 -Dbench.small-points=100000 -Dbench.requests=50}.
 * Everything it loads is deleted at the end.
 */
@QuarkusTest
class SweepPageBenchmark {

    static final String OBJECTIVE = "val/loss";
    static final String[] KEYS = {"train/loss", OBJECTIVE, "val/acc"};
    static final double TABLE_BUDGET_MS = 300;
    static final double SERIES_BUDGET_MS = 200;

    private final int runs = Integer.getInteger("bench.runs", 10_000);
    private final int points = Integer.getInteger("bench.points", 1_000_000);
    private final int smallPoints = Integer.getInteger("bench.small-points", 100_000);
    private final int requests = Integer.getInteger("bench.requests", 50);
    private final int warmUp = Integer.getInteger("bench.warm-up", 10);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MetricRollups rollups;

    @Inject
    MetricsQuery query;

    private record Timing(String what, double p50, double p95, double max, double budget) {
    }

    @Test
    void timesTheSweepPageRequestsAtTenThousandRunsAndAMillionPoints() throws Exception {
        String project = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        long t0 = System.nanoTime();
        byte[] document = sweepDocument(project).getBytes(StandardCharsets.UTF_8);
        int sweep = given().contentType("application/yaml").body(document).post("/api/v1/sweeps").then()
                .statusCode(201).extract().path("id");
        double submitSeconds = (System.nanoTime() - t0) / 1e9;
        List<Long> runIds = runIds(sweep);
        try {
            long t1 = System.nanoTime();
            loadSummaries(runIds);
            long bigRun = runIds.get(runIds.size() / 2);
            long smallRun = runIds.get(runIds.size() / 2 + 1);
            loadSeries(bigRun, points);
            loadSeries(smallRun, smallPoints);
            double loadSeconds = (System.nanoTime() - t1) / 1e9;
            // the block rollups the ingest writes along with the points (the migration's backfill statement)
            long t2 = System.nanoTime();
            rollups.rebuild(bigRun);
            rollups.rebuild(smallRun);
            double rollupSeconds = (System.nanoTime() - t2) / 1e9;
            analyze();
            System.out.printf(Locale.ROOT, "%nReprise dashboard benchmark: %,d runs (submitted in %.1f s), %,d "
                    + "summaries and %,d- and %,d-point series loaded with COPY in %.1f s, their block rollups built"
                    + " in %.1f s; %d CPU cores; %d requests each after %d warm-up%n", runIds.size(), submitSeconds,
                    runIds.size() * KEYS.length, points, smallPoints, loadSeconds, rollupSeconds,
                    Runtime.getRuntime().availableProcessors(), requests, warmUp);

            String objective = "metric:" + OBJECTIVE;
            List<Timing> timings = new ArrayList<>();
            timings.add(time("table, first page (50 rows), run order", TABLE_BUDGET_MS,
                    () -> given().queryParam("size", 50).get("/api/v1/sweeps/{id}/table", sweep)));
            timings.add(time("table, first page sorted by the objective", TABLE_BUDGET_MS,
                    () -> given().queryParam("size", 50).queryParam("sort", objective)
                            .get("/api/v1/sweeps/{id}/table", sweep)));
            timings.add(time("table, first page sorted by a parameter, descending", TABLE_BUDGET_MS,
                    () -> given().queryParam("size", 50).queryParam("sort", "-param:learning_rate")
                            .get("/api/v1/sweeps/{id}/table", sweep)));
            timings.add(time("table, last page, filtered by state, by objective", TABLE_BUDGET_MS,
                    () -> given().queryParam("size", 50).queryParam("page", runs / 50 - 1)
                            .queryParam("state", "QUEUED").queryParam("sort", "-" + objective)
                            .get("/api/v1/sweeps/{id}/table", sweep)));
            timings.add(time("sweeps overview (best run over 10k runs)", TABLE_BUDGET_MS,
                    () -> given().queryParam("project", project).get("/api/v1/sweeps/overview")));
            timings.add(time("parallel coordinates, best 1,000 runs", TABLE_BUDGET_MS,
                    () -> given().queryParam("limit", 1000).get("/api/v1/sweeps/{id}/coordinates", sweep)));
            timings.add(time("1M-point series downsampled to 1,000 points", SERIES_BUDGET_MS,
                    () -> given().queryParam("max_points", 1000)
                            .get("/api/v1/runs/{id}/metrics/" + OBJECTIVE, bigRun)));
            timings.add(time("1M-point series downsampled to 1,440 points", SERIES_BUDGET_MS,
                    () -> given().queryParam("max_points", 1440)
                            .get("/api/v1/runs/{id}/metrics/" + OBJECTIVE, bigRun)));
            timings.add(time("100k-point series downsampled to 1,440 points", SERIES_BUDGET_MS,
                    () -> given().queryParam("max_points", 1440)
                            .get("/api/v1/runs/{id}/metrics/" + OBJECTIVE, smallRun)));
            timings.add(time("1M-point series, steps 400,000-600,000 to 1,000", SERIES_BUDGET_MS,
                    () -> given().queryParam("max_points", 1000).queryParam("from", 400_000)
                            .queryParam("to", 600_000).get("/api/v1/runs/{id}/metrics/" + OBJECTIVE, bigRun)));
            // the same series in the server alone: the rollup read, and the raw-point pass it replaced (one bucket
            // pass over every point in range, the query before V12), timed in this run side by side
            int key;
            try (Connection c = dataSource.getConnection()) {
                key = keyId(c, OBJECTIVE);
            }
            Timing fromRollups = timeCall("  server only: 1M to 1,000 from the rollups", SERIES_BUDGET_MS,
                    () -> query.series(bigRun, OBJECTIVE, null, null, null, 1000).orElseThrow());
            Timing fromRawPoints = timeCall("  server only: 1M to 1,000 from raw points (before V12)",
                    SERIES_BUDGET_MS, () -> rawPointPass(bigRun, key, 0, points - 1, 500));
            timings.add(fromRollups);
            timings.add(fromRawPoints);
            System.out.printf(Locale.ROOT, "  %-56s %9s %9s %9s %8s%n", "request (loopback, server + JSON)", "p50 ms",
                    "p95 ms", "max ms", "budget");
            for (Timing t : timings) {
                System.out.printf(Locale.ROOT, "  %-56s %9.1f %9.1f %9.1f %5.0f %s%n", t.what(), t.p50(), t.p95(),
                        t.max(), t.budget(), t.p95() <= t.budget() ? "ok" : "OVER");
            }
            System.out.printf(Locale.ROOT, "  raw-point pass / rollup read, same run: p50 %.0fx, p95 %.0fx%n",
                    fromRawPoints.p50() / fromRollups.p50(), fromRawPoints.p95() / fromRollups.p95());
            System.out.println();
        } finally {
            cleanUp(sweep, runIds);
        }
    }

    /** A random search of {@code runs} trials over four parameters, objective val/loss. */
    private String sweepDocument(String project) {
        return "name: dashboard-bench\nproject: " + project + "\nimage: python:3.12-slim\nprogram: train.py\n"
                + "method: random\nseed: 1\nmax_trials: " + runs + "\nparallelism: 100\n"
                + "metric:\n  name: " + OBJECTIVE + "\n  goal: minimize\n"
                + "parameters:\n"
                + "  learning_rate:\n    distribution: log_uniform_values\n    min: 0.00001\n    max: 0.3\n"
                + "  batch_size:\n    values: [16, 32, 64, 128, 256]\n"
                + "  dropout:\n    distribution: uniform\n    min: 0.0\n    max: 0.6\n"
                + "  optimizer:\n    values: [adam, adamw, sgd]\n";
    }

    private static List<Long> runIds(int sweep) {
        List<Long> ids = new ArrayList<>();
        for (int page = 0; ; page++) {
            List<Number> items = given().queryParam("size", 500).queryParam("page", page)
                    .get("/api/v1/sweeps/{id}/runs", sweep).then().statusCode(200).extract().path("items.id");
            items.forEach(n -> ids.add(n.longValue()));
            if (items.size() < 500) {
                return ids;
            }
        }
    }

    private Timing time(String what, double budget, Supplier<Response> request) throws Exception {
        return timeCall(what, budget, () -> {
            Response r = request.get();
            r.asByteArray(); // the whole body, as a browser would read it
            r.then().statusCode(200);
            return r;
        });
    }

    private Timing timeCall(String what, double budget, Callable<?> call) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            call.call();
        }
        double[] ms = new double[requests];
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            call.call();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return new Timing(what, percentile(ms, 0.50), percentile(ms, 0.95), ms[ms.length - 1], budget);
    }

    /** The series query before the block rollups: one pass over every point of the range, min/max per bucket. */
    private long rawPointPass(long run, int key, long first, long last, int buckets) throws SQLException {
        long total = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select b, min(p), max(p), count(*) from (
                    select least(floor((step - ?)::float8 * ? / (?::float8 - ?::float8 + 1))::int, ? - 1) as b,
                           %s as p
                    from metric_points where run_id = ? and key_id = ? and step between ? and ? and attempt = 0
                ) x group by b order by b""".formatted(MetricRollups.POINT))) {
            Object[] args = {first, buckets, last, first, buckets, run, key, first, last};
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getArray(2).getArray();
                    rs.getArray(3).getArray();
                    total += rs.getLong(4);
                }
            }
        }
        return total;
    }

    private static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    private int keyId(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into metric_keys (name) values (?) on conflict (name) do nothing")) {
            ps.setString(1, key);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("select id from metric_keys where name = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Every run gets a summary of each key: 200 points, a last value, min and max. */
    private void loadSummaries(List<Long> runIds) throws Exception {
        Random random = new Random(7);
        try (Connection c = dataSource.getConnection()) {
            int[] ids = new int[KEYS.length];
            for (int k = 0; k < KEYS.length; k++) {
                ids[k] = keyId(c, KEYS[k]);
            }
            String now = Instant.now().toString();
            StringBuilder csv = new StringBuilder(runIds.size() * KEYS.length * 80);
            for (long run : runIds) {
                for (int k = 0; k < KEYS.length; k++) {
                    double last = k == 2 ? 0.5 + 0.5 * random.nextDouble() : 0.2 + 2 * random.nextDouble();
                    csv.append(run).append(',').append(ids[k]).append(",200,0,0,199,599,").append(last).append(',')
                            .append(now).append(',').append(last * 0.9).append(',').append(last * 3).append('\n');
                }
            }
            copy(c, "copy metric_summaries (run_id, key_id, points, nan_points, last_attempt, last_step, last_seq,"
                    + " last_value, last_ts, min_value, max_value) from stdin (format csv)", csv);
        }
    }

    /** One run's objective at full resolution: {@code points} steps, loaded in chunks of about 5 MB. */
    private void loadSeries(long run, int points) throws Exception {
        Random random = new Random(11);
        try (Connection c = dataSource.getConnection()) {
            int key = keyId(c, OBJECTIVE);
            long start = Instant.now().toEpochMilli() - points * 100L;
            StringBuilder csv = new StringBuilder(100_000 * 60);
            double last = 0;
            for (int step = 0; step < points; step++) {
                last = 0.3 + 2.0 * Math.exp(-step / 150_000.0) + 0.05 * random.nextGaussian();
                csv.append(run).append(',').append(key).append(',').append(step).append(",0,").append(step)
                        .append(',').append(Instant.ofEpochMilli(start + step * 100L)).append(',').append(last)
                        .append('\n');
                if (csv.length() > 5_000_000) {
                    copy(c, "copy metric_points (run_id, key_id, step, attempt, seq, ts, value) from stdin"
                            + " (format csv)", csv);
                    csv.setLength(0);
                }
            }
            copy(c, "copy metric_points (run_id, key_id, step, attempt, seq, ts, value) from stdin (format csv)", csv);
            try (PreparedStatement ps = c.prepareStatement("update metric_summaries set points = ?, last_step = ?,"
                    + " last_seq = ?, last_value = ? where run_id = ? and key_id = ?")) {
                ps.setLong(1, points);
                ps.setLong(2, points - 1);
                ps.setLong(3, points - 1);
                ps.setDouble(4, last);
                ps.setLong(5, run);
                ps.setInt(6, key);
                ps.executeUpdate();
            }
        }
    }

    private static void copy(Connection c, String sql, CharSequence csv) throws Exception {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        copy.copyIn(sql, new StringReader(csv.toString()));
    }

    private void analyze() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("analyze runs");
            st.execute("analyze metric_summaries");
            st.execute("analyze metric_points");
            st.execute("analyze metric_rollups");
        }
    }

    private void cleanUp(int sweep, List<Long> runIds) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Long[] ids = runIds.toArray(Long[]::new);
            for (String table : List.of("metric_points", "metric_summaries", "metric_rollups")) {
                try (PreparedStatement ps = c.prepareStatement("delete from " + table + " where run_id = any(?)")) {
                    ps.setArray(1, c.createArrayOf("bigint", ids));
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("delete from sweeps where id = ?")) {
                ps.setLong(1, sweep);
                ps.executeUpdate();
            }
        }
    }
}
