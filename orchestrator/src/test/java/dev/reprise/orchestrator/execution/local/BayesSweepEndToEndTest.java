package dev.reprise.orchestrator.execution.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.domain.search.RandomSampler;
import dev.reprise.orchestrator.domain.spec.ParameterSpec;
import dev.reprise.orchestrator.domain.spec.Specs;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path of a bayes sweep with early termination, on real processes: the digits MLP (examples/trainers,
 * real training on the shipped digits data) wrapped by the real agent, metrics through Kafka into PostgreSQL, TPE
 * suggestions as slots free, hyperband stopping trials that fall behind at epoch 2 or 6.
 *
 * <p>For each of five seeds (1–5; {@code -Dreprise.bayes-e2e.seeds=4,5,6,7} runs others) a bayes sweep of 12 trials
 * (4 random start-up trials, 2 at a time) runs to completion, all sweeps at once.
 * The baseline is random search with the same seed and the same <em>budget</em>, counted as hyperband counts it: in
 * training epochs. Random search trains {@code RandomSampler}'s points of that seed one after the other, each to its
 * last epoch, until it has used as many epochs as the bayes sweep did (the last point trained only for what is left).
 * Hyperband exists to spend fewer epochs on poor trials; comparing at equal trial counts instead would hand random
 * search several times the compute. The best val_loss of each bayes sweep is compared with its baseline's; on
 * average over the seeds bayes must be better. Every trial, the seeds, epochs and values are printed.
 *
 * <p>Which trials a suggestion sees finished, and which peers a trial meets at a rung, depend on timing, so one seed's
 * result varies from run to run: the start-up trials are the baseline's first points, and when hyperband stops the
 * one that would have been best (it looked poor at epoch 2), that seed's bayes sweep loses clearly (measured once in
 * CI: 0.105 against 0.043). With three seeds such a run failed the comparison; five seeds keep it meaningful without
 * one unlucky seed deciding it. The trainer sleeps 250 ms after each epoch so that the stopper sees trials while they
 * run (a real epoch on real data takes longer than these 30 ms); its values do not depend on it.
 */
@QuarkusTest
@TestProfile(LocalExecutorProfile.class)
class BayesSweepEndToEndTest {

    private static final long[] SEEDS = java.util.Arrays.stream(System.getProperty("reprise.bayes-e2e.seeds",
            "1,2,3,4,5").split(",")).mapToLong(x -> Long.parseLong(x.strip())).toArray();
    private static final int BUDGET = 12;
    private static final int EPOCHS = 12;
    /** Compiled once per test JVM; the trials run from the repository root (reprise.local.trial-dir=..). */
    private static final Path TRAINER = Path.of("target", "digits-trainer");
    private static final String PARAMETERS = """
            parameters:
              learning_rate: {distribution: log_uniform_values, min: 0.0003, max: 0.3}
              hidden_units: {distribution: int_uniform, min: 8, max: 64, q: 8}
              optimizer: {values: [sgd, momentum, adam]}
            """;
    private static final Pattern VAL_LOSS = Pattern.compile("\"val_loss\": ([-0-9.eE]+)");

    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void compileTheTrainer() throws IOException {
        Files.createDirectories(TRAINER);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", TRAINER.toString(),
                Path.of("..", "examples", "trainers", "DigitsMlp.java").toString());
        assertThat(rc).as("javac DigitsMlp.java").isZero();
    }

    private static String sweep(long seed) {
        return "name: bayes-e2e-" + UUID.randomUUID().toString().substring(0, 8) + "\nimage: local\nqueue: local\n"
                + "command: [java, -XX:TieredStopAtLevel=1, -Xshare:auto, -cp, orchestrator/" + TRAINER
                + ", DigitsMlp, --seed=0, --epochs=" + EPOCHS + ", --batch_size=64, --epoch_delay_ms=250, "
                + "'${args}']\n"
                + "method: bayes\nseed: " + seed + "\nmax_trials: " + BUDGET + "\nparallelism: 2\n"
                + "bayes: {startup_trials: 4}\n"
                + "metric: {name: val_loss, goal: minimize}\n"
                + "early_terminate: {type: hyperband, min_iter: 2, max_iter: " + EPOCHS + ", eta: 3}\n"
                + PARAMETERS;
    }

    private static int submit(String yaml) {
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("id");
    }

    private static List<Map<String, Object>> runs(int sweepId) {
        return given().queryParam("size", 100).get("/api/v1/sweeps/{id}/runs", sweepId).then().statusCode(200)
                .extract().jsonPath().getList("items");
    }

    private static String status(int sweepId) {
        return given().get("/api/v1/sweeps/{id}", sweepId).then().extract().path("status");
    }

    /** The best (lowest) val_loss among the sweep's succeeded and early-stopped runs, from the stored summaries. */
    private double bestOf(int sweepId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select min(s.min_value) from metric_summaries s join metric_keys k on k.id = s.key_id "
                        + "join runs r on r.id = s.run_id where r.sweep_id = ? and k.name = 'val_loss' "
                        + "and r.state in ('SUCCEEDED', 'STOPPED_EARLY')")) {
            ps.setLong(1, sweepId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    /** Epochs the sweep's runs trained, from the stored summaries (val_loss is reported once per epoch, from 0). */
    private long epochsOf(int sweepId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select coalesce(sum(s.last_step + 1), 0) from metric_summaries s join metric_keys k on k.id = s.key_id "
                        + "join runs r on r.id = s.run_id where r.sweep_id = ? and k.name = 'val_loss'")) {
            ps.setLong(1, sweepId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Each trial of the sweep: index, state, epochs trained, best val_loss and parameters, for the report. */
    private String trialsOf(long seed, int sweepId) throws SQLException {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "seed %d trials:%n", seed));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select r.run_index, r.state, s.last_step + 1, s.min_value, cast(r.parameters as text) from runs r "
                        + "left join metric_summaries s on s.run_id = r.id and s.key_id = "
                        + "(select id from metric_keys where name = 'val_loss') where r.sweep_id = ? "
                        + "order by r.run_index")) {
            ps.setLong(1, sweepId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(String.format(Locale.ROOT, "  #%-2d %-13s %2d epochs  best %.6f  %s%n", rs.getInt(1),
                            rs.getString(2), rs.getLong(3), rs.getDouble(4), rs.getString(5)));
                }
            }
        }
        return out.toString();
    }

    /**
     * Random search with the same seed and epoch budget: the trainer run directly on each random point in turn, to its
     * last epoch, the final one for the epochs that are left.
     */
    private static double randomSearchBest(long seed, long epochBudget) throws IOException, InterruptedException {
        Map<String, ParameterSpec> space = Specs.valid(Specs.sweep("random", PARAMETERS.replace("parameters:\n", ""),
                "max_trials: 1")).parameters();
        double best = Double.POSITIVE_INFINITY;
        long left = epochBudget;
        for (int i = 0; left > 0; i++) {
            long epochs = Math.min(EPOCHS, left);
            left -= epochs;
            Map<String, Object> p = new LinkedHashMap<>(RandomSampler.point(space, seed, i));
            List<String> command = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-cp",
                    TRAINER.toString(), "DigitsMlp", "--seed=0", "--epochs=" + epochs, "--batch_size=64",
                    "--data=" + Path.of("..", "examples", "data", "digits", "digits.csv.gz")));
            p.forEach((k, v) -> command.add("--" + k + "=" + v));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = VAL_LOSS.matcher(line);
                    if (m.find()) {
                        best = Math.min(best, Double.parseDouble(m.group(1)));
                    }
                }
            }
            assertThat(process.waitFor()).as("random trial %d of seed %d: %s", i, seed, command).isZero();
        }
        return best;
    }

    @Test
    void bayesSweepWithHyperbandCompletesStopsTrialsEarlyAndBeatsRandomSearchOnAverage() throws Exception {
        Map<Long, Integer> sweeps = new LinkedHashMap<>();
        for (long seed : SEEDS) {
            sweeps.put(seed, submit(sweep(seed)));
        }
        await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(2)).until(() -> sweeps.values().stream()
                .allMatch(id -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status(id))));

        int stoppedEarly = 0;
        double bayesTotal = 0;
        double randomTotal = 0;
        // the baseline, once the sweeps have shown how many epochs they used
        Map<Long, Double> random = new LinkedHashMap<>();
        Map<Long, Long> epochs = new LinkedHashMap<>();
        for (long seed : SEEDS) {
            epochs.put(seed, epochsOf(sweeps.get(seed)));
            random.put(seed, randomSearchBest(seed, epochs.get(seed)));
        }
        StringBuilder trials = new StringBuilder();
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "%nbayes (TPE, 4 start-up trials, %d trials) + hyperband vs random search with as many epochs, "
                        + "best val_loss:%n", BUDGET));
        for (long seed : SEEDS) {
            int id = sweeps.get(seed);
            assertThat(status(id)).as("sweep of seed %d", seed).isEqualTo("SUCCEEDED");
            List<Map<String, Object>> all = runs(id);
            assertThat(all).as("runs of seed %d", seed).hasSize(BUDGET);
            // every trial ended by itself or by the stopper: none failed, none was LOST (the agent heartbeats until
            // it has reported the attempt finished, so a slow upload on a loaded machine is not silence)
            assertThat(all).extracting(r -> r.get("state")).as("states of seed %d", seed)
                    .allMatch(s -> List.of("SUCCEEDED", "STOPPED_EARLY").contains(s))
                    .contains("SUCCEEDED");
            long stopped = all.stream().filter(r -> "STOPPED_EARLY".equals(r.get("state"))).count();
            stoppedEarly += (int) stopped;
            double bayes = bestOf(id);
            bayesTotal += bayes;
            randomTotal += random.get(seed);
            report.append(String.format(Locale.ROOT,
                    "  seed %d: bayes %.6f (%d of %d stopped early), random %.6f, %d epochs each%n", seed, bayes,
                    stopped, BUDGET, random.get(seed), epochs.get(seed)));
            trials.append(trialsOf(seed, id));
        }
        report.append(String.format(Locale.ROOT, "  mean over %d seeds: bayes %.6f, random %.6f%n", SEEDS.length,
                bayesTotal / SEEDS.length, randomTotal / SEEDS.length));
        System.out.print(trials);
        System.out.print(report);
        assertThat(stoppedEarly).as("trials stopped early over all seeds").isPositive();
        assertThat(bayesTotal / SEEDS.length).as(report.toString()).isLessThan(randomTotal / SEEDS.length);
    }
}
