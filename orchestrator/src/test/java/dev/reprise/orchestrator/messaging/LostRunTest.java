package dev.reprise.orchestrator.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.StopReason;
import dev.reprise.orchestrator.execution.TrialObservation;
import dev.reprise.orchestrator.scheduling.RunLifecycle;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run whose agent stops reporting is LOST after the heartbeat timeout (30 s in tests); a finished one is not. The
 * test does not wait: once the agents' reports are stored, it moves their last sighting an hour back.
 */
@QuarkusTest
class LostRunTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    ReportIngest ingest;

    @Inject
    RunLifecycle lifecycle;

    @Inject
    StoredPoints stored;

    @BeforeEach
    void ingestIsListening() {
        await().atMost(PATIENCE).until(ingest::ready);
    }

    @Test
    void marksARunLostWhenItsAgentFallsSilentButNotOneWhoseAgentReportedTheEnd() {
        List<Long> runs = TestRuns.create(2);
        long finished = runs.get(0);
        long silent = runs.get(1);
        for (long run : runs) {
            // as an executor would report it (the test queue holds its runs, so no scheduler interferes)
            lifecycle.observe(new TrialObservation.Running(run, 0, Instant.now(), "node-a", null));
            assertThat(state(run)).isEqualTo("RUNNING");
        }
        long now = System.currentTimeMillis();
        try (Reports reports = new Reports()) {
            reports.send(started(finished, now));
            reports.send(new RunEvent.Finished(finished, 0, 2, 0, StopReason.COMPLETED, null, now));
            reports.send(started(silent, now));
            reports.send(new RunEvent.Heartbeat(silent, 0, 1, now, null, 0.5, 1 << 20, 1, List.of()));
        }

        await().atMost(PATIENCE).until(() -> stored.count("select count(*) from agent_reports where run_id in (?, ?)"
                + " and (finished_at is not null or last_heartbeat_at is not null)", finished, silent) == 2);
        stored.execute("update agent_reports set last_seen_at = now() - interval '1 hour' where run_id in (?, ?)",
                finished, silent);

        await().atMost(PATIENCE).until(() -> "LOST".equals(state(silent)));
        given().get("/api/v1/runs/{id}", silent).then()
                .body("message", org.hamcrest.Matchers.startsWith("no heartbeat from the agent for more than 30 s"))
                .body("failureCause", org.hamcrest.Matchers.equalTo("INFRASTRUCTURE"));
        assertThat(state(finished)).as("the run whose agent reported its end, silent for as long").isEqualTo("RUNNING");
    }

    private static RunEvent.Started started(long run, long at) {
        return new RunEvent.Started(run, 0, 0, "test-agent", 4242, "node-a", List.of("python3", "train.py"),
                "0.1.0-test", at);
    }

    private static String state(long run) {
        return given().get("/api/v1/runs/{id}", run).then().statusCode(200).extract().path("state");
    }
}
