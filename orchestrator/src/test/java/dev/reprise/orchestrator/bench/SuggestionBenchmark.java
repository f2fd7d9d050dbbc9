package dev.reprise.orchestrator.bench;

import io.agroal.api.AgroalDataSource;
import dev.reprise.orchestrator.persistence.Runs;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.search.RandomSampler;
import dev.reprise.orchestrator.domain.search.Trial;
import dev.reprise.orchestrator.domain.search.tpe.TpeSearcher;
import dev.reprise.orchestrator.domain.spec.Goal;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.scheduling.BayesSuggester;
import dev.reprise.orchestrator.scheduling.SchedulerOffProfile;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * How long one bayes suggestion takes with 10,000 finished trials: TPE alone (pure, in memory) and through
 * {@link BayesSuggester#peek} (the sweep's 10,000 runs and their objective read from PostgreSQL, then TPE), and the
 * full path the scheduler takes for a new trial, {@link BayesSuggester#topUp} (the sweep's row locked, pending runs
 * counted, history read, TPE, the run inserted and committed), each against random sampling timed in the same run as
 * the baseline. Four parameters (log-scale, integer, uniform,
 * categorical). p50/p95/max over {@code bench.calls} calls after {@code bench.warm-up} warm-up calls.
 *
 * <p>Not part of the test run (the name does not end in Test); the command is in docs/benchmarks.md:
 *
 * <pre>./mvnw -B -o -pl orchestrator test -Dtest=SuggestionBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Sizes: {@code -Dbench.history=10000 -Dbench.calls=100 -Dbench.warm-up=20}. Everything it loads is deleted at the end.
 */
@QuarkusTest
@TestProfile(SuggestionBenchmark.LargeSweeps.class)
class SuggestionBenchmark {

    /** The scheduler off, and room for a sweep of the history plus the runs the full-path timing creates. */
    public static class LargeSweeps extends SchedulerOffProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> out = new java.util.HashMap<>(super.getConfigOverrides());
            out.put("reprise.sweeps.max-trials", "1000000");
            return out;
        }
    }

    private static final dev.reprise.orchestrator.domain.spec.SweepSpecParser PARSER =
            new dev.reprise.orchestrator.domain.spec.SweepSpecParser(new dev.reprise.orchestrator.domain.spec.SpecLimits(
                    1_000_000, dev.reprise.orchestrator.domain.spec.SpecLimits.DEFAULTS.maxParameters(),
                    dev.reprise.orchestrator.domain.spec.SpecLimits.DEFAULTS.maxCategoricalValues()), () -> 42L);

    static final double BUDGET_MS = 100;

    private final int history = Integer.getInteger("bench.history", 10_000);
    private final int calls = Integer.getInteger("bench.calls", 100);
    private final int warmUp = Integer.getInteger("bench.warm-up", 20);

    @Inject
    BayesSuggester suggester;

    @Inject
    RunRepository runs;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    dev.reprise.orchestrator.persistence.ObjectiveQueries objectives;

    private record Timing(String what, double p50, double p95, double max) {
    }

    private static SweepSpec valid(String yaml) {
        var result = PARSER.parse(dev.reprise.orchestrator.domain.spec.Specs.READER.read(yaml,
                dev.reprise.orchestrator.api.SpecFormat.YAML), null);
        if (result instanceof dev.reprise.orchestrator.domain.spec.SpecResult.Invalid i) {
            throw new IllegalStateException("the benchmark's spec is invalid: " + i.errors());
        }
        return ((dev.reprise.orchestrator.domain.spec.SpecResult.Valid) result).spec();
    }

    private String yaml(String name) {
        // room for the runs the full-path timing creates, one per call; one at a time
        return "name: " + name + "\nimage: x\nprogram: t.py\nmethod: bayes\nseed: 3\nmax_trials: "
                + (history + warmUp + calls + 10) + "\nparallelism: 1\nmetric: {name: val_loss}\nparameters:\n"
                + "  learning_rate: {distribution: log_uniform_values, min: 0.00001, max: 0.3}\n"
                + "  width: {distribution: int_uniform, min: 16, max: 1024, q: 16}\n"
                + "  dropout: {min: 0.0, max: 0.6}\n"
                + "  optimizer: {values: [adam, adamw, sgd]}\n";
    }

    private static double loss(Map<String, Object> p) {
        double lr = ((Number) p.get("learning_rate")).doubleValue();
        double width = ((Number) p.get("width")).doubleValue();
        double dropout = ((Number) p.get("dropout")).doubleValue();
        return Math.pow(Math.log10(lr) + 2.5, 2) + Math.abs(Math.log(width / 256)) + (dropout - 0.2) * (dropout - 0.2)
                + ("sgd".equals(p.get("optimizer")) ? 0.3 : 0);
    }

    @Test
    void timesOneSuggestionWithTenThousandFinishedTrials() throws Exception {
        String name = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        SweepSpec spec = valid(yaml(name));
        List<Trial> trials = new ArrayList<>(history);
        for (int i = 0; i < history; i++) {
            Map<String, Object> p = RandomSampler.point(spec.parameters(), 99, i);
            trials.add(new Trial(i, p, loss(p)));
        }
        List<Timing> timings = new ArrayList<>();
        int[] next = {history};
        timings.add(time("random sampling (baseline)", () -> RandomSampler.point(spec.parameters(), 3, next[0]++)
                .size()));
        for (int n : new int[] {100, 1_000, history}) {
            List<Trial> h = trials.subList(0, Math.min(n, history));
            timings.add(time(String.format(Locale.ROOT, "TPE, %,d finished trials (domain, in memory)", h.size()),
                    () -> TpeSearcher.suggest(spec.parameters(), Goal.MINIMIZE, h, 3, next[0]++,
                            TpeSearcher.Settings.DEFAULTS).orElseThrow().size()));
        }

        long t0 = System.nanoTime();
        int sweep = RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml(name)).post("/api/v1/sweeps").then().statusCode(201)
                .extract().path("id");
        List<Long> runIds = load(sweep, spec, trials);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        try {
            timings.add(time(String.format(Locale.ROOT, "BayesSuggester.peek, %,d finished runs (DB read + TPE)",
                    history), () -> suggester.peek(sweep).orElseThrow().size()));
            // the statement peek and topUp run, as they run it: the parameters of known runs are cached by then
            timings.add(time(String.format(Locale.ROOT, "  of which: the %,d runs' states and objective (one query)",
                    history), () -> objectives.trialRows(sweep, "val_loss", false,
                            java.util.Set.of(RunState.SUCCEEDED, RunState.STOPPED_EARLY), null, history,
                            java.time.Duration.ofSeconds(30)).size()));
            timings.add(timeTopUp(sweep));
            System.out.printf(Locale.ROOT, "%nReprise suggestion benchmark: %,d finished trials (runs and summaries "
                    + "loaded in %.1f s), 4 parameters, %d CPU cores, %d calls each after %d warm-up%n", history,
                    loadSeconds, Runtime.getRuntime().availableProcessors(), calls, warmUp);
            System.out.printf(Locale.ROOT, "  %-62s %9s %9s %9s %10s%n", "one suggestion", "p50 ms", "p95 ms",
                    "max ms", "p95/base");
            double base = timings.get(0).p95();
            for (Timing t : timings) {
                System.out.printf(Locale.ROOT, "  %-62s %9.3f %9.3f %9.3f %10.0f %s%n", t.what(), t.p50(), t.p95(),
                        t.max(), t.p95() / base, t == timings.get(0) ? "" : t.p95() <= BUDGET_MS ? "ok" : "OVER");
            }
            System.out.println();
        } finally {
            cleanUp(sweep, runIds);
        }
    }

    /** The trials as SUCCEEDED runs of the sweep, each with a summary of the objective (min = its value). */
    private List<Long> load(int sweep, SweepSpec spec, List<Trial> trials) throws SQLException {
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> {
            List<Long> out = new ArrayList<>();
            Instant now = Instant.now();
            for (Trial t : trials) {
                RunEntity r = Runs.newRun(spec, sweep, t.index(), new java.util.LinkedHashMap<>(
                        RandomSampler.point(spec.parameters(), 99, t.index())), now, null,
                        new dev.reprise.orchestrator.domain.provenance.RunOrigin("testing", "benchmark", null, null));
                r.state = RunState.SUCCEEDED;
                r.finishedAt = now.minusSeconds(3600); // long finished: settled without agent reports
                runs.persist(r);
                out.add(r.id);
            }
            return out;
        });
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement k = c.prepareStatement(
                    "insert into metric_keys (name) values ('val_loss') on conflict (name) do nothing")) {
                k.executeUpdate();
            }
            int key;
            try (PreparedStatement k = c.prepareStatement("select id from metric_keys where name = 'val_loss'");
                    ResultSet rs = k.executeQuery()) {
                rs.next();
                key = rs.getInt(1);
            }
            try (PreparedStatement ps = c.prepareStatement("insert into metric_summaries (run_id, key_id, points, "
                    + "nan_points, last_attempt, last_step, last_seq, last_value, last_ts, min_value, max_value) "
                    + "values (?, ?, 1, 0, 0, 1, 1, ?, now(), ?, ?)")) {
                for (int i = 0; i < ids.size(); i++) {
                    double v = trials.get(i).value();
                    ps.setLong(1, ids.get(i));
                    ps.setInt(2, key);
                    ps.setDouble(3, v);
                    ps.setDouble(4, v);
                    ps.setDouble(5, v);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        return ids;
    }

    /**
     * What the scheduler does for a new trial: {@link BayesSuggester#topUp} in its own transaction (the sweep's row
     * locked, the pending runs counted, the history read, TPE, the new run inserted and committed). After each timed
     * call the new run is marked SUCCEEDED, untimed, so that the next call has a free slot again.
     */
    private Timing timeTopUp(int sweep) throws SQLException {
        double[] ms = new double[calls];
        for (int i = 0; i < warmUp + calls; i++) {
            long start = System.nanoTime();
            int created = suggester.topUp(sweep);
            double took = (System.nanoTime() - start) / 1e6;
            if (created != 1) {
                throw new IllegalStateException("topUp created " + created + " runs, expected 1");
            }
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "update runs set state = 'SUCCEEDED', finished_at = now() - interval '1 hour' "
                            + "where sweep_id = ? and state = 'QUEUED'")) {
                ps.setLong(1, sweep);
                ps.executeUpdate();
            }
            if (i >= warmUp) {
                ms[i - warmUp] = took;
            }
        }
        Arrays.sort(ms);
        return new Timing(String.format(Locale.ROOT, "topUp, %,d finished runs (full path: lock, count, "
                + "TPE, insert)", history), percentile(ms, 0.50), percentile(ms, 0.95),
                ms[ms.length - 1]);
    }

    private Timing time(String what, IntSupplier call) {
        for (int i = 0; i < warmUp; i++) {
            call.getAsInt();
        }
        double[] ms = new double[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            call.getAsInt();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return new Timing(what, percentile(ms, 0.50), percentile(ms, 0.95), ms[ms.length - 1]);
    }

    private static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    private void cleanUp(int sweep, List<Long> runIds) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("delete from metric_summaries where run_id = any(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", runIds.toArray(Long[]::new)));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("delete from sweeps where id = ?")) {
                ps.setLong(1, sweep);
                ps.executeUpdate();
            }
        }
    }
}
