package dev.reprise.orchestrator.scheduling;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.security.RunTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every launched trial carries the run token of exactly its run attempt, which only that attempt can use. */
@QuarkusTest
class RunTokenLaunchTest {

    @Inject
    TestingExecutor executor;

    @Inject
    RunTokens tokens;

    @Test
    void givesEachTrialTheTokenOfItsOwnRunAttempt() {
        String yaml = "name: tok-" + UUID.randomUUID().toString().substring(0, 12) + "\nimage: python:3.12-slim\n"
                + "program: train.py\nmethod: grid\nqueue: lifecycle\nparallelism: 2\n"
                + "parameters:\n  x:\n    values: [1, 2]\n";
        int sweep = given().contentType("application/yaml").body(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/sweeps").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> executor.launchesOf(sweep).size() == 2);
        for (TrialLaunch l : executor.launchesOf(sweep)) {
            String token = l.env().get(dev.reprise.api.trial.TrialVariable.RUN_TOKEN.variable());
            assertThat(token).startsWith("rpr_run_" + l.runId() + "_" + l.attempt() + "_");
            assertThat(tokens.matches(token, l.runId(), l.attempt())).isTrue();
            assertThat(tokens.matches(token, l.runId(), l.attempt() + 1)).as("another attempt").isFalse();
            assertThat(tokens.matches(token, l.runId() + 1, l.attempt())).as("another run").isFalse();
        }
        TrialLaunch first = executor.launchesOf(sweep).get(0);
        String token = first.env().get(dev.reprise.api.trial.TrialVariable.RUN_TOKEN.variable());
        given().header("Authorization", "Bearer " + token).get("/api/v1/runs/" + first.runId()).then()
                .statusCode(403);
        given().header("Authorization", "Bearer " + token).get("/api/v1/snapshots/sha256:" + "0".repeat(64)
                + "/download").then().statusCode(403);
    }
}
