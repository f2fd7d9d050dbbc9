package dev.reprise.orchestrator.scheduling;

import static dev.reprise.orchestrator.scheduling.SchedulingTest.newName;
import static dev.reprise.orchestrator.scheduling.SchedulingTest.runs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.persistence.ObjectiveQueries;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.SweepRepository;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * A restart in the middle of a bayes sweep changes none of its future suggestions. Two sweeps with the same spec and
 * seed get the same objective for the same parameters. One is driven by the orchestrator's BayesSuggester from start
 * to end; for the other, after 12 of 27 trials, every suggestion comes from a brand-new BayesSuggester with a fresh
 * spec cache (what a restarted orchestrator has: nothing but the database), and its trials finish in the reverse
 * order (other run ids, other metric sequence numbers, other commit order). The 27 parameter sets must be identical.
 */
@QuarkusTest
@TestProfile(SchedulerOffProfile.class)
class SuggestionRestartTest {

    private static final int ROUNDS = 9;
    private static final int PARALLELISM = 3;
    private static final int RESTART_AFTER_ROUND = 4;

    @Inject
    BayesSuggester suggester;

    @Inject
    SweepRepository sweeps;

    @Inject
    RunRepository runRepository;

    @Inject
    EntityManager em;

    @Inject
    ObjectiveWriter objective;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Executors executors;

    private static int submit(String name) {
        String yaml = "name: " + name + "\nimage: x\nprogram: t.py\nmethod: bayes\nseed: 77\nmax_trials: "
                + ROUNDS * PARALLELISM + "\nparallelism: " + PARALLELISM + "\nmetric: {name: loss}\nparameters:\n"
                + "  x: {min: -5.0, max: 5.0}\n"
                + "  lr: {distribution: log_uniform_values, min: 0.0001, max: 0.1}\n"
                + "  width: {distribution: int_uniform, min: 8, max: 256, q: 8}\n"
                + "  optimizer: {values: [adam, sgd, rmsprop]}\n";
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps").then().statusCode(201)
                .body("runCounts.total", org.hamcrest.Matchers.equalTo(0)).extract().path("id");
    }

    private static double loss(Map<?, ?> p) {
        double x = ((Number) p.get("x")).doubleValue();
        double lr = ((Number) p.get("lr")).doubleValue();
        double width = ((Number) p.get("width")).doubleValue();
        double penalty = switch ((String) p.get("optimizer")) {
            case "adam" -> 0.0;
            case "sgd" -> 0.5;
            default -> 1.0;
        };
        return (x - 1) * (x - 1) + Math.pow(Math.log10(lr) + 2, 2) + Math.abs(width - 64) / 64 + penalty;
    }

    private void finish(Map<String, Object> run) throws SQLException {
        long id = ((Number) run.get("id")).longValue();
        objective.record(id, 0, "loss", 1, loss((Map<?, ?>) run.get("parameters")) + 0.5);
        objective.record(id, 0, "loss", 2, loss((Map<?, ?>) run.get("parameters")));
        objective.agentFinished(id, 0);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update runs set state = 'SUCCEEDED', finished_at = now() where id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** Runs the sweep to its end: each round asks for suggestions, then finishes every new run. */
    private List<Object> drive(int sweepId, boolean reverse, java.util.function.IntFunction<LongToIntFunction> search)
            throws SQLException {
        for (int round = 0; round < ROUNDS; round++) {
            int created = search.apply(round).applyAsInt(sweepId);
            assertThat(created).as("round %d", round).isEqualTo(PARALLELISM);
            List<Map<String, Object>> fresh = new ArrayList<>(runs(sweepId).subList(round * PARALLELISM,
                    (round + 1) * PARALLELISM));
            if (reverse) {
                java.util.Collections.reverse(fresh);
            }
            for (Map<String, Object> r : fresh) {
                finish(r);
            }
        }
        return runs(sweepId).stream().map(r -> (Object) r.get("parameters")).toList();
    }

    @Test
    void suggestsTheSameTrialsAfterARestartAsWithoutOne() throws SQLException {
        int uninterrupted = submit(newName());
        int restarted = submit(newName());
        List<Object> expected = drive(uninterrupted, false, round -> suggester::topUp);
        List<Object> actual = drive(restarted, true, round -> round < RESTART_AFTER_ROUND ? suggester::topUp
                : sweepId -> {
                    // a restarted orchestrator: new instances, no cached spec, nothing but the database
                    BayesSuggester afterRestart = new BayesSuggester(sweeps, runRepository, new ObjectiveQueries(em),
                            new StoredSpecs(), executors);
                    return QuarkusTransaction.requiringNew().call(() -> afterRestart.topUp(sweepId));
                });
        assertThat(expected).hasSize(ROUNDS * PARALLELISM).doesNotHaveDuplicates();
        assertThat(actual).containsExactlyElementsOf(expected);
        // past the 10 random start-up trials the suggestions come from TPE, and they too are identical
        assertThat(actual.subList(RESTART_AFTER_ROUND * PARALLELISM, actual.size()))
                .containsExactlyElementsOf(expected.subList(RESTART_AFTER_ROUND * PARALLELISM, expected.size()));
    }
}
