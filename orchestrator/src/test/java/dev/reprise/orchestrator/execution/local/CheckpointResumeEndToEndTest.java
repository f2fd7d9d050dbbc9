package dev.reprise.orchestrator.execution.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints that outlive attempts, end to end on the local executor with the real agent, object store and Kafka:
 * the example trainer (examples/trainers/checkpointed.py) checkpoints every epoch; its agent is stopped from outside
 * mid-training (as a machine shutdown would), so the attempt ends preempted; the next attempt gets the newest stored
 * checkpoint back, starts after it, and the run's curve has every step exactly once.
 */
@QuarkusTest
@TestProfile(LocalExecutorProfile.class)
class CheckpointResumeEndToEndTest {

    private static final int EPOCHS = 24;

    @Inject
    AgroalDataSource db;

    private static int submit(String command) {
        String yaml = "name: ckpt-" + UUID.randomUUID().toString().substring(0, 12) + "\nimage: local\n"
                + "command: " + command + "\nmethod: grid\nqueue: local\nparameters:\n  i: {value: 1}\n";
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("id");
    }

    private static long firstRun(int sweepId) {
        return ((Number) given().get("/api/v1/sweeps/{id}/runs", sweepId).then().statusCode(200).extract()
                .path("items[0].id")).longValue();
    }

    private static List<Long> storedSteps(long run) {
        return given().get("/api/v1/runs/{id}/checkpoints", run).then().statusCode(200).extract().jsonPath()
                .getList("step", Long.class);
    }

    private static JsonPath series(long run, String query) {
        return given().get("/api/v1/runs/{id}/metrics/loss" + query, run).then().statusCode(200).extract()
                .jsonPath();
    }

    private String attemptState(long run, int attempt) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select state from run_attempts where run_id = ? and attempt = ?")) {
            ps.setLong(1, run);
            ps.setInt(2, attempt);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void aPreemptedTrainerResumesFromItsLastCheckpointAndTheCurveHasEveryStepOnce() throws Exception {
        int sweep = submit("[python3, examples/trainers/checkpointed.py, --epochs, '" + EPOCHS
                + "', --epoch-seconds, '0.5']");
        long run = firstRun(sweep);

        // a few checkpoints stored, then the agent is stopped from outside (SIGTERM), not by Reprise
        await().atMost(Duration.ofSeconds(120)).until(() -> storedSteps(run).stream().anyMatch(s -> s >= 3));
        Path attempt0 = Path.of(LocalExecutorProfile.WORK_DIR, run + "-0");
        ProcessHandle wrapper = LocalTrial.read(attempt0).flatMap(LocalTrial::process).orElseThrow();
        ProcessHandle agent = wrapper.children().findFirst().orElseThrow();
        assertThat(agent.destroy()).as("SIGTERM sent to the agent").isTrue();

        await().atMost(Duration.ofSeconds(180)).until(() -> "SUCCEEDED".equals(
                given().get("/api/v1/runs/{id}", run).then().extract().path("state")));
        assertThat(attemptState(run, 0)).isEqualTo("PREEMPTED");
        assertThat((Integer) given().get("/api/v1/runs/{id}", run).then().extract().path("attempt")).isEqualTo(1);

        // the second attempt started after the checkpoint it got back
        String secondLog = Files.readString(Path.of(LocalExecutorProfile.WORK_DIR, run + "-1", "output.log"));
        long resumed = Long.parseLong(secondLog.replaceAll("(?s).*resumed from checkpoint step (\\d+).*", "$1"));
        assertThat(resumed).isGreaterThanOrEqualTo(3);
        JsonPath second = series(run, "?attempt=1");
        assertThat(second.getLong("firstStep")).isEqualTo(resumed + 1);
        assertThat(second.getLong("lastStep")).isEqualTo(EPOCHS - 1);

        // the run's curve: every step exactly once
        JsonPath curve = series(run, "");
        List<Long> steps = new ArrayList<>(curve.getList("points.step", Long.class));
        assertThat(steps).containsExactlyElementsOf(LongStream.range(0, EPOCHS).boxed().toList());
        assertThat(curve.getBoolean("downsampled")).isFalse();

        // the last checkpoint was stored when the command ended; retention keeps the newest
        // reprise.checkpoints.keep (3), newest first
        assertThat(storedSteps(run)).hasSize(3).first().isEqualTo((long) EPOCHS - 1);
    }
}
