package dev.reprise.orchestrator.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent wrapping a training-like Python process, through the real Kafka into the real PostgreSQL: what the
 * process prints is what the database holds, each point once, and how the process ended is recorded.
 */
@QuarkusTest
class AgentEndToEndTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @Inject
    ReportIngest ingest;

    @Inject
    StoredPoints stored;

    @TempDir
    Path tmp;

    @BeforeEach
    void ingestIsListening() {
        await().atMost(PATIENCE).until(ingest::ready);
    }

    @Test
    void storesEveryPrintedPointExactlyOnceAndRecordsTheExitCode() {
        long run = TestRuns.create();
        TrainingScript script = new TrainingScript(tmp);
        try (AgentProcess agent = AgentProcess.start(run, 0, tmp, script.command(400, 3, 0))) {
            assertThat(agent.waitFor(120)).as(agent.output()).isEqualTo(3);
        }
        Set<TrainingScript.Printed> printed = script.printed();
        assertThat(printed).hasSize(800);

        await().atMost(PATIENCE).until(() -> stored.userPoints(run).size() >= printed.size());
        List<StoredPoints.Row> rows = stored.userPoints(run);
        assertThat(rows).hasSize(printed.size());
        assertThat(rows.stream().map(r -> new TrainingScript.Printed(r.key(), r.step(), r.value()))
                .collect(Collectors.toSet())).isEqualTo(printed);
        assertThat(rows).extracting(StoredPoints.Row::attempt).containsOnly(0);

        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/runs/{id}", run).then().statusCode(200)
                .body("exitCode", equalTo(3)).body("stopReason", equalTo("FAILED"))
                .body("provenance.agentVersion", notNullValue()));
        given().get("/api/v1/runs/{id}/metrics", run).then().statusCode(200)
                .body("keys.key", hasItem("loss"))
                .body("keys.find { it.key == 'loss' }.points", equalTo(400))
                .body("keys.find { it.key == 'loss' }.lastStep", equalTo(399))
                .body("attempts[0].exitCode", equalTo(3))
                .body("attempts[0].stopReason", equalTo("FAILED"));
        await().atMost(PATIENCE).untilAsserted(() -> given().queryParam("stream", "stdout").queryParam("size", 1)
                .get("/api/v1/runs/{id}/logs", run).then().statusCode(200)
                .body("total", equalTo(402))
                .body("items[0].text", equalTo("INFO loading data"))
                .body("complete", equalTo(true)));
    }

    @Test
    void recordsTheStopWhenTheAgentIsTerminatedAndTheTrainingProcessIsGone() {
        long run = TestRuns.create();
        TrainingScript script = new TrainingScript(tmp);
        long childPid;
        try (AgentProcess agent = AgentProcess.start(run, 0, tmp, script.command(-1, 0, 0.01))) {
            await().atMost(PATIENCE).until(() -> stored.count(
                    "select count(*) from agent_reports where run_id = ? and last_heartbeat_at is not null", run) == 1
                    && stored.userPoints(run).size() >= 20);
            childPid = stored.count("select pid from agent_reports where run_id = ?", run);
            assertThat(ProcessHandle.of(childPid).map(ProcessHandle::isAlive)).contains(true);

            agent.terminate();
            assertThat(agent.waitFor(60)).as(agent.output()).isEqualTo(143);
        }
        assertThat(ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/runs/{id}", run).then()
                .body("exitCode", equalTo(143)).body("stopReason", equalTo("TERMINATED")));
        given().get("/api/v1/runs/{id}/metrics", run).then()
                .body("attempts[0].signal", equalTo(15))
                .body("attempts[0].lastHeartbeatAt", notNullValue())
                .body("keys.key", hasItem("sys/cpu.seconds"));

        Set<TrainingScript.Printed> printed = script.printed();
        await().atMost(PATIENCE).until(() -> stored.userPoints(run).size() >= printed.size());
        assertThat(stored.userPoints(run).stream().map(r -> new TrainingScript.Printed(r.key(), r.step(), r.value()))
                .toList()).hasSize(printed.size()).containsExactlyInAnyOrderElementsOf(printed);
    }
}
