package dev.reprise.orchestrator.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.reprise.api.messages.GpuSample;
import dev.reprise.api.messages.LogStream;
import dev.reprise.api.messages.MetricBatch;
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
 * A distributed trial's agents report rank by rank (the reprise-rank header), through the real broker, ingest and
 * database: each rank's logs, heartbeats and exit are stored under its rank and served by rank, rank 0's metrics are
 * the run's while another rank's are refused, and a rank that stops heartbeating marks the run LOST, named.
 */
@QuarkusTest
class RankReportTest {

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
    void storesEachRanksLogsHeartbeatsAndExitUnderItsRankAndServesThemByRank() {
        long run = runningRun();
        long now = System.currentTimeMillis();
        try (Reports reports = new Reports()) {
            // each rank's agent counts its own event seqs and line numbers: the same (seq, line) on both ranks
            for (int rank = 0; rank < 2; rank++) {
                reports.send(started(run, "node-" + rank, now), rank);
                reports.send(new RunEvent.LogChunk(run, 0, 1, LogStream.STDOUT, 0,
                        List.of("[rank " + rank + "] epoch 1", "[rank " + rank + "] epoch 2")), rank);
                reports.send(new RunEvent.Heartbeat(run, 0, 2, now, 50.0 + rank, 1.5, 1 << 20, 1,
                        List.of(new GpuSample(0, "GPU-" + rank, "H100", 90, 1000L, 80000L, null, 60, 1900))), rank);
            }
            reports.send(new RunEvent.Finished(run, 0, 3, 3, StopReason.FAILED, null, now), 1);
        }

        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/runs/{id}", run).then().statusCode(200)
                .body("ranks.size()", equalTo(2))
                .body("ranks[0].rank", equalTo(0)).body("ranks[0].state", equalTo("RUNNING"))
                .body("ranks[0].hostname", equalTo("node-0")).body("ranks[0].gpuModel", equalTo("H100"))
                .body("ranks[1].rank", equalTo(1)).body("ranks[1].state", equalTo("EXITED"))
                .body("ranks[1].exitCode", equalTo(3)).body("ranks[1].stopReason", equalTo("FAILED"))
                .body("ranks[1].hostname", equalTo("node-1")).body("ranks[1].lastHeartbeatAt",
                        org.hamcrest.Matchers.notNullValue()));
        assertThat(lines(run, null)).as("the run's own lines: rank 0's")
                .containsExactly("[rank 0] epoch 1", "[rank 0] epoch 2");
        assertThat(lines(run, 1)).containsExactly("[rank 1] epoch 1", "[rank 1] epoch 2");
        given().queryParam("rank", 1).get("/api/v1/runs/{id}/logs", run).then()
                .body("rank", equalTo(1)).body("complete", equalTo(true));
        given().queryParam("rank", 0).get("/api/v1/runs/{id}/logs", run).then()
                .body("rank", equalTo(0)).body("complete", equalTo(false));
        // rank 1's exit is rank 1's: the run's outcome is the executor's and rank 0's to report
        given().get("/api/v1/runs/{id}", run).then().body("state", equalTo("RUNNING"))
                .body("exitCode", org.hamcrest.Matchers.nullValue());
        assertThat(stored.count("select count(*) from agent_reports where run_id = ? and hostname = 'node-0'", run))
                .as("rank 0 reports for the run").isEqualTo(1);
        // provenance records where every rank ran
        given().get("/api/v1/runs/{id}/provenance", run).then().statusCode(200)
                .body("ranks.rank", org.hamcrest.Matchers.contains(0, 1))
                .body("ranks.hostname", org.hamcrest.Matchers.contains("node-0", "node-1"))
                .body("ranks.gpuModel", org.hamcrest.Matchers.contains("H100", "H100"))
                .body("ranks.agentVersion", org.hamcrest.Matchers.contains("0.1.0-test", "0.1.0-test"));
    }

    @Test
    void onlyRankZerosMetricsBecomeTheRunsMetrics() {
        long run = runningRun();
        try (Reports reports = new Reports()) {
            reports.send(new MetricBatch(run, 0, "agent-1", 0, List.of(Reports.point("loss", 1, 9.0, 0))), 1);
            // same run, same partition: once rank 0's point is stored, rank 1's batch has been judged too
            reports.send(new MetricBatch(run, 0, "agent-0", 0, List.of(Reports.point("loss", 1, 0.5, 0))), 0);
        }
        await().atMost(PATIENCE).until(() -> !stored.userPoints(run).isEmpty());
        assertThat(stored.userPoints(run)).extracting(StoredPoints.Row::value).containsExactly(0.5);
    }

    @Test
    void aRankThatStopsHeartbeatingMarksTheRunLostNamingTheRankAndItsHost() {
        long run = runningRun();
        long now = System.currentTimeMillis();
        try (Reports reports = new Reports()) {
            for (int rank = 0; rank < 2; rank++) {
                reports.send(started(run, "node-" + rank, now), rank);
                reports.send(new RunEvent.Heartbeat(run, 0, 1, now, null, 0.5, 1 << 20, 1, List.of()), rank);
            }
        }
        await().atMost(PATIENCE).until(() -> stored.count("select count(*) from rank_reports where run_id = ?"
                + " and last_heartbeat_at is not null", run) == 2);
        // rank 1 fell silent an hour ago; rank 0 (the run's own reporter) is alive
        stored.execute("update rank_reports set last_seen_at = now() - interval '1 hour' where run_id = ? and rank = 1",
                run);

        await().atMost(PATIENCE).until(() -> "LOST".equals(state(run)));
        given().get("/api/v1/runs/{id}", run).then()
                .body("message", startsWith("rank 1 (host node-1): no heartbeat from its agent for more than 30 s"))
                .body("failureCause", equalTo("INFRASTRUCTURE"));
    }

    @Test
    void refusesARankOutsideTheRange() {
        long run = runningRun();
        given().queryParam("rank", -1).get("/api/v1/runs/{id}/logs", run).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("rank"));
    }

    private long runningRun() {
        long run = TestRuns.create();
        // as an executor would report it (the test queue holds its runs, so no scheduler interferes)
        lifecycle.observe(new TrialObservation.Running(run, 0, Instant.now(), "node-0", null));
        assertThat(state(run)).isEqualTo("RUNNING");
        return run;
    }

    private static List<String> lines(long run, Integer rank) {
        var request = given().queryParam("size", 100);
        if (rank != null) {
            request = request.queryParam("rank", rank);
        }
        return request.get("/api/v1/runs/{id}/logs", run).then().statusCode(200).extract().jsonPath()
                .getList("items.text", String.class);
    }

    private static RunEvent.Started started(long run, String host, long at) {
        return new RunEvent.Started(run, 0, 0, "agent-" + host, 4242, host, List.of("python3", "train.py"),
                "0.1.0-test", at);
    }

    private static String state(long run) {
        return given().get("/api/v1/runs/{id}", run).then().statusCode(200).extract().path("state");
    }
}
