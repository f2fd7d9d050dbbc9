package dev.reprise.orchestrator.usage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.equalTo;

import dev.reprise.agent.telemetry.NvidiaSmiCsv;
import dev.reprise.api.messages.GpuSample;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.orchestrator.domain.run.FailureCause;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import dev.reprise.orchestrator.messaging.SystemMetrics;
import dev.reprise.orchestrator.persistence.IngestBatch;
import dev.reprise.orchestrator.persistence.IngestStore;
import dev.reprise.orchestrator.scheduling.TestingExecutor;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Accounting end to end: a sweep whose trials are preempted and retried, with the executor's observations driving
 * the attempts, and GPU power samples from real nvidia-smi output stored as the ingest stores them. The usage API's
 * GPU-seconds must equal nodes × GPUs × the attempts' observed start-to-end times, as recorded in run_attempts.
 */
@QuarkusTest
class UsageAccountingTest {

    private static final Instant T = Instant.parse("2026-11-02T08:00:00Z");

    @Inject
    TestingExecutor executor;

    @Inject
    IngestStore ingest;

    @Inject
    AgroalDataSource dataSource;

    static int submit(String project, String extra) {
        String yaml = "name: u-" + UUID.randomUUID().toString().substring(0, 8) + "\nproject: " + project + "\n"
                + "image: python:3.12-slim\nprogram: train.py\nmethod: grid\nqueue: lifecycle\nparallelism: 2\n"
                + "resources:\n  cpu: 500m\n  gpu:\n    count: 2\n"
                + "parameters:\n  i:\n    values: [1, 2]\n" + extra;
        return given().contentType("application/yaml").body(yaml.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/sweeps").then().statusCode(201).extract().path("id");
    }

    private TrialLaunch awaitLaunch(int sweepId, int index, int attempt) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> executor.presentOf(sweepId).stream()
                        .filter(l -> l.index() == index && l.attempt() == attempt).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private void awaitAttemptState(long runId, int attempt, String state) {
        await().atMost(Duration.ofSeconds(60)).until(() -> state.equals(attemptState(runId, attempt)));
    }

    @Test
    void gpuSecondsOfPreemptedRetriedAndSucceededAttemptsFollowTheExecutorsObservations() throws Exception {
        String project = "usage-" + UUID.randomUUID().toString().substring(0, 8);
        int sweepId = submit(project, "");
        TrialLaunch a0 = awaitLaunch(sweepId, 0, 0);
        TrialLaunch b0 = awaitLaunch(sweepId, 1, 0);

        // run A: preempted after 100 s, runs again for 300 s; run B: fails on infrastructure after 50 s, retried, 300 s
        executor.report(new TrialObservation.Running(a0.runId(), 0, T, "gpu-node-1", null));
        executor.report(new TrialObservation.Running(b0.runId(), 0, T, "gpu-node-2", null));
        executor.report(new TrialObservation.Preempted(a0.runId(), 0, T.plusSeconds(100), "Evicted"));
        executor.report(new TrialObservation.Failed(b0.runId(), 0, T.plusSeconds(50), FailureCause.INFRASTRUCTURE,
                null, "node went away"));
        TrialLaunch a1 = awaitLaunch(sweepId, 0, 1);
        TrialLaunch b1 = awaitLaunch(sweepId, 1, 1);
        executor.report(new TrialObservation.Running(a1.runId(), 1, T.plusSeconds(200), "gpu-node-1", null));
        executor.report(new TrialObservation.Running(b1.runId(), 1, T.plusSeconds(60), "gpu-node-3", null));
        storePowerSamples(a1.runId(), 1, T.plusSeconds(200));
        executor.report(new TrialObservation.Succeeded(a1.runId(), 1, T.plusSeconds(500), 0));
        executor.report(new TrialObservation.Succeeded(b1.runId(), 1, T.plusSeconds(360), 0));
        awaitAttemptState(a1.runId(), 1, "SUCCEEDED");
        awaitAttemptState(b1.runId(), 1, "SUCCEEDED");

        JsonPath byRun = given().queryParam("project", project).queryParam("groupBy", "run")
                .get("/api/v1/usage").then().statusCode(200).extract().jsonPath();

        // from the attempts as recorded: 2 GPUs × (observed end - observed start)
        double expected = 2 * attemptSeconds(sweepId);
        assertThat(expected).isEqualTo(2 * (100 + 300 + 50 + 300));
        assertThat(byRun.getDouble("total.gpuSeconds")).isEqualTo(expected);
        assertThat(byRun.getDouble("total.gpuHours")).isCloseTo(1500 / 3600.0, within(1e-6));
        assertThat(byRun.getLong("total.attempts")).isEqualTo(4);
        assertThat(byRun.getDouble("total.cpuSeconds")).isEqualTo(0.5 * 750);
        assertThat(byRun.getDouble("preempted.gpuSeconds")).isEqualTo(200.0);
        assertThat(byRun.getLong("preempted.attempts")).isEqualTo(1);
        assertThat(byRun.getDouble("failed.gpuSeconds")).isEqualTo(100.0);
        assertThat(byRun.getLong("failed.attempts")).isEqualTo(1);
        assertThat(byRun.getList("items.key")).containsExactly(String.valueOf(a0.runId()),
                String.valueOf(b0.runId()));
        assertThat(byRun.getDouble("items[0].total.gpuSeconds")).isEqualTo(800.0);
        assertThat(byRun.getDouble("items[0].preempted.gpuSeconds")).isEqualTo(200.0);
        assertThat(byRun.getDouble("items[1].failed.gpuSeconds")).isEqualTo(100.0);
        // the six real samples (72 W idle to 664 W under load), a second apart: 1230.005 J
        assertThat(byRun.getDouble("items[0].total.energyWh")).isCloseTo(1230.005 / 3600, within(1e-6));
        assertThat(byRun.getDouble("items[1].total.energyWh")).isZero();

        // the same attempts by project, by user and by queue
        given().queryParam("project", project).get("/api/v1/usage").then().statusCode(200)
                .body("groupBy", equalTo("project")).body("items[0].key", equalTo(project))
                .body("items[0].total.gpuSeconds", equalTo(1500.0f));
        given().queryParam("project", project).queryParam("groupBy", "queue").get("/api/v1/usage").then()
                .statusCode(200).body("items.key", hasItem("lifecycle"));
        // a window cuts attempts: [T+100, T+300) holds 100 s of A's second attempt and 200 s of B's retry
        given().queryParam("project", project).queryParam("from", T.plusSeconds(100).toString())
                .queryParam("to", T.plusSeconds(300).toString()).get("/api/v1/usage").then().statusCode(200)
                .body("total.gpuSeconds", equalTo(600.0f));

        // the sweep page's view: totals and objective against cumulative GPU-hours, in the order runs ended
        JsonPath sweep = given().get("/api/v1/sweeps/{id}/usage", sweepId).then().statusCode(200).extract()
                .jsonPath();
        assertThat(sweep.getDouble("total.gpuSeconds")).isEqualTo(1500.0);
        assertThat(sweep.getList("objectiveByGpuHours.runId", Long.class)).containsExactly(b0.runId(), a0.runId());
        // B ended at T+360: A had used 200 (preempted) + 2 × 160 s by then, B 100 + 600
        assertThat(sweep.getDouble("objectiveByGpuHours[0].cumulativeGpuHours"))
                .isCloseTo((200 + 320 + 100 + 600) / 3600.0, within(1e-6));
        assertThat(sweep.getDouble("objectiveByGpuHours[1].cumulativeGpuHours")).isCloseTo(1500 / 3600.0,
                within(1e-6));
    }

    @Test
    void anUnknownGroupByIsAProblemNamingTheParameter() {
        given().queryParam("groupBy", "team").get("/api/v1/usage").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("groupBy"))
                .body("detail", org.hamcrest.Matchers.containsString("run, sweep, project, queue, user"));
        given().queryParam("from", "yesterday").get("/api/v1/usage").then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
        given().queryParam("from", "2026-12-02").queryParam("to", "2026-12-01").get("/api/v1/usage").then()
                .statusCode(400).body("errors[0].field", equalTo("to"));
    }

    @Test
    void aZeroOrNegativeBudgetIsRefusedAtItsFieldAndStoresNothing() {
        for (String hours : new String[] {"0", "-1.5"}) {
            String yaml = "name: nb-" + UUID.randomUUID().toString().substring(0, 8) + "\nimage: python:3.12-slim\n"
                    + "program: train.py\nmethod: grid\nbudget:\n  gpu_hours: " + hours + "\n"
                    + "parameters:\n  i:\n    values: [1, 2]\n";
            given().contentType("application/yaml").body(yaml.getBytes(StandardCharsets.UTF_8))
                    .post("/api/v1/sweeps").then().statusCode(422).contentType("application/problem+json")
                    .body("errors.field", hasItem("budget.gpu_hours"))
                    .body("errors.message", hasItem("must be greater than 0"));
        }
    }

    /** One heartbeat per line of the real nvidia-smi fixture, a second apart, stored as the ingest stores them. */
    private void storePowerSamples(long runId, int attempt, Instant from) throws Exception {
        String csv;
        try (InputStream in = getClass().getResourceAsStream("/nvidia-smi/h100-agent-query-under-load.csv")) {
            csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<GpuSample> samples = NvidiaSmiCsv.parse(csv, NvidiaSmiCsv.QUERY_FIELDS);
        List<IngestBatch.Point> points = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            points.addAll(SystemMetrics.points(new RunEvent.Heartbeat(runId, attempt, 100 + i,
                    from.plusSeconds(10 + i).toEpochMilli(), 100.0, i, 1 << 20, 1, List.of(samples.get(i)))));
        }
        ingest.write(new IngestBatch(points, List.of(), List.of(), List.of(), List.of(), List.of()));
    }

    private String attemptState(long runId, int attempt) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select state from run_attempts where run_id = ? and attempt = ?")) {
            s.setLong(1, runId);
            s.setInt(2, attempt);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Sum over the sweep's attempts of (finished_at - started_at), straight from run_attempts. */
    private double attemptSeconds(int sweepId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select sum(extract(epoch from a.finished_at - a.started_at)) from run_attempts a "
                        + "join runs r on r.id = a.run_id where r.sweep_id = ? and a.started_at is not null")) {
            s.setLong(1, sweepId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }
}
