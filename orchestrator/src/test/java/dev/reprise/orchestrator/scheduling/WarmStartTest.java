package dev.reprise.orchestrator.scheduling;

import static dev.reprise.orchestrator.scheduling.SchedulingTest.newName;
import static dev.reprise.orchestrator.scheduling.SchedulingTest.runs;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.reprise.orchestrator.domain.search.RandomSampler;
import dev.reprise.orchestrator.domain.search.Trial;
import dev.reprise.orchestrator.domain.search.tpe.TpeSearcher;
import dev.reprise.orchestrator.domain.search.tpe.WarmStartTrials;
import dev.reprise.orchestrator.domain.spec.Goal;
import dev.reprise.orchestrator.domain.spec.ParameterSpec;
import dev.reprise.orchestrator.domain.spec.Specs;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code warm_start}: a bayes sweep seeded with the finished trials of an earlier sweep. The earlier sweep's runs are
 * finished by hand (the default queue launches nothing in tests); the new sweep's first suggestions must be exactly
 * what TPE proposes from those seeds, and references that cannot work are refused at {@code warm_start}.
 */
@QuarkusTest
class WarmStartTest {

    private static final String EARLIER_PARAMETERS = """
            parameters:
              x: {min: -5.0, max: 5.0}
              y: {min: -5.0, max: 5.0}
            """;

    @Inject
    ObjectiveWriter objective;

    @Inject
    AgroalDataSource dataSource;

    private static ValidatableResponse post(String yaml) {
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps").then();
    }

    private static String earlierSweep(String name, String metric) {
        return "name: " + name + "\nimage: x\nprogram: t.py\nmethod: random\nseed: 11\nmax_trials: 30\n"
                + "metric: {name: " + metric + "}\n" + EARLIER_PARAMETERS;
    }

    private static String bayesSweep(String name, String warmStart, String parameters) {
        return "name: " + name + "\nimage: x\nprogram: t.py\nmethod: bayes\nseed: 5\nmax_trials: 4\nparallelism: 2\n"
                + "metric: {name: loss}\nwarm_start: " + warmStart + "\n" + parameters;
    }

    private static double quadratic(Map<?, ?> p) {
        double x = ((Number) p.get("x")).doubleValue();
        double y = ((Number) p.get("y")).doubleValue();
        return (x - 1.5) * (x - 1.5) + (y + 2) * (y + 2);
    }

    /** Finishes every run of the sweep with the quadratic as its loss, a minute in the past. */
    private List<Trial> finishAll(int sweepId) throws SQLException {
        List<Trial> trials = new ArrayList<>();
        for (Map<String, Object> r : runs(sweepId)) {
            Map<?, ?> params = (Map<?, ?>) r.get("parameters");
            long runId = ((Number) r.get("id")).longValue();
            objective.record(runId, 0, "loss", 1, quadratic(params) + 1);
            objective.record(runId, 0, "loss", 2, quadratic(params));
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) params;
            trials.add(new Trial(((Number) r.get("index")).intValue(), typed, quadratic(params)));
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update runs set state = 'SUCCEEDED', finished_at = now() - interval '1 minute' where sweep_id = ?")) {
            ps.setLong(1, sweepId);
            ps.executeUpdate();
        }
        return trials;
    }

    @Test
    void seedsTheSearchWithTheFinishedTrialsOfTheEarlierSweepByName() throws SQLException {
        String earlierName = newName();
        int earlier = post(earlierSweep(earlierName, "loss")).statusCode(201).extract().path("id");
        List<Trial> earlierTrials = finishAll(earlier);

        String parameters = """
                parameters:
                  x: {min: 0.0, max: 5.0}
                  y: {min: -5.0, max: 5.0}
                  optimizer: {values: [adam, sgd]}
                """;
        String yaml = bayesSweep(newName(), earlierName, parameters);
        int id = post(yaml).statusCode(201).extract().path("id");
        // the stored spec names the earlier sweep by id, whatever the document said
        given().get("/api/v1/sweeps/{id}", id).then().body("spec.warm_start", equalTo(earlier));

        await().atMost(Duration.ofSeconds(20)).until(() -> runs(id).size() == 2);
        Map<String, ParameterSpec> space = Specs.valid(yaml.replace("warm_start: " + earlierName + "\n", ""))
                .parameters();
        Map<String, ParameterSpec> earlierSpace = Specs.valid(earlierSweep("e", "loss")).parameters();
        List<Trial> seeds = WarmStartTrials.seeds(space, earlierSpace, earlierTrials);
        // trials with x < 0 lie outside the new space and are dropped; the others keep x and y only
        assertThat(seeds).hasSize((int) earlierTrials.stream().filter(t -> ((Number) t.parameters().get("x"))
                .doubleValue() >= 0).count()).isNotEmpty();
        assertThat(seeds).allSatisfy(s -> assertThat(s.parameters()).containsOnlyKeys("x", "y"));

        List<Trial> history = new ArrayList<>();
        List<Map<String, Object>> created = runs(id);
        for (int i = 0; i < 2; i++) {
            Map<String, Object> expected = TpeSearcher.suggest(space, Goal.MINIMIZE, history, seeds, 5, i,
                    TpeSearcher.Settings.DEFAULTS).orElseThrow();
            Map<?, ?> actual = (Map<?, ?>) created.get(i).get("parameters");
            assertThat(((Number) actual.get("x")).doubleValue()).isEqualTo(((Number) expected.get("x")).doubleValue());
            assertThat(((Number) actual.get("y")).doubleValue()).isEqualTo(((Number) expected.get("y")).doubleValue());
            assertThat(actual.get("optimizer")).isEqualTo(expected.get("optimizer"));
            history.add(new Trial(i, expected, null));
        }
        // with at least 10 seeds TPE proposes from the first trial on: not what a cold start would have proposed
        assertThat(seeds.size()).isGreaterThanOrEqualTo(TpeSearcher.Settings.DEFAULTS.startupTrials());
        Map<?, ?> first = (Map<?, ?>) created.get(0).get("parameters");
        assertThat(((Number) first.get("x")).doubleValue())
                .isNotEqualTo(((Number) RandomSampler.point(space, 5, 0).get("x")).doubleValue());
    }

    @Test
    void refusesAWarmStartFromAnUnknownSweep() {
        post(bayesSweep(newName(), "987654321", EARLIER_PARAMETERS)).statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("warm_start"))
                .body("errors[0].message", equalTo("no sweep with id 987654321"));
        post(bayesSweep(newName(), "no-such-sweep", EARLIER_PARAMETERS)).statusCode(422)
                .body("errors[0].field", equalTo("warm_start"))
                .body("errors[0].message", startsWith("no sweep named 'no-such-sweep' in project"));
    }

    @Test
    void refusesAWarmStartWithoutASharedParameterOrWithAnotherMetric() {
        String earlierName = newName();
        int earlier = post(earlierSweep(earlierName, "loss")).statusCode(201).extract().path("id");
        String name = newName();
        post(bayesSweep(name, String.valueOf(earlier), """
                parameters:
                  x: {min: 6.0, max: 9.0}
                  width: {values: [16, 32]}
                """)).statusCode(422)
                .body("errors[0].field", equalTo("warm_start"))
                .body("errors[0].message", startsWith("shares no parameter with sweep " + earlier));
        // nothing was stored: the same name is still free
        post(bayesSweep(name, String.valueOf(earlier), EARLIER_PARAMETERS)).statusCode(201);

        int other = post(earlierSweep(newName(), "accuracy")).statusCode(201).extract().path("id");
        post(bayesSweep(newName(), String.valueOf(other), EARLIER_PARAMETERS)).statusCode(422)
                .body("errors[0].field", equalTo("warm_start"))
                .body("errors[0].message", equalTo("sweep " + other + " (" + given().get("/api/v1/sweeps/{id}",
                        other).then().extract().path("name") + ") optimises 'accuracy', not 'loss': its results "
                        + "cannot seed this objective"));
    }
}
