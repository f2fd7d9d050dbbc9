package dev.reprise.orchestrator.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.StopReason;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the agent says about its attempt lands on the run and in the attempt's report. */
@QuarkusTest
class AgentReportTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    ReportIngest ingest;

    @Test
    void recordsTheAgentVersionAndWhyTheAgentGaveUp() {
        await().atMost(PATIENCE).until(ingest::ready);
        long run = TestRuns.create();
        long now = System.currentTimeMillis();
        try (Reports reports = new Reports()) {
            reports.send(new RunEvent.Started(run, 0, 0, "node-a-1234abcd", 77, "node-a", List.of("python3", "t.py"),
                    "0.9.9-test", now));
            reports.send(new RunEvent.Finished(run, 0, 1, 1, StopReason.AGENT_ERROR, null, now,
                    "snapshot sha256:abc does not verify: blob missing"));
        }
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/runs/{id}", run).then()
                .body("stopReason", equalTo("AGENT_ERROR")).body("exitCode", equalTo(1))
                .body("provenance.agentVersion", equalTo("0.9.9-test")));
        given().get("/api/v1/runs/{id}/metrics", run).then().statusCode(200)
                .body("attempts[0].agentId", equalTo("node-a-1234abcd"))
                .body("attempts[0].pid", equalTo(77))
                .body("attempts[0].message", equalTo("snapshot sha256:abc does not verify: blob missing"))
                .body("attempts[0].lastHeartbeatAt", nullValue())
                .body("keys.size()", equalTo(0));
    }

    @Test
    void recordsTheGpuModelAndAgentVersionOnceForTheAttempt() {
        await().atMost(PATIENCE).until(ingest::ready);
        long run = TestRuns.create();
        long now = System.currentTimeMillis();
        dev.reprise.api.messages.GpuSample a10 = new dev.reprise.api.messages.GpuSample(0, "GPU-1", "NVIDIA A10", 90,
                1000L, 24000L, 120.0, 60, 1500);
        dev.reprise.api.messages.GpuSample a10b = new dev.reprise.api.messages.GpuSample(1, "GPU-2", "NVIDIA A10", 90,
                1000L, 24000L, 120.0, 60, 1500);
        dev.reprise.api.messages.GpuSample h100 = new dev.reprise.api.messages.GpuSample(0, "GPU-3", "NVIDIA H100",
                90, 1000L, 80000L, 300.0, 60, 1900);
        try (Reports reports = new Reports()) {
            reports.send(new RunEvent.Started(run, 0, 0, "a", 7, "node-a", List.of("t"), "1.0-first", now));
            reports.send(new RunEvent.Heartbeat(run, 0, 1, now, null, 1.0, 1L, 1, List.of(a10, a10b)));
        }
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/runs/{id}", run).then()
                .body("provenance.gpuModel", equalTo("2 x NVIDIA A10"))
                .body("provenance.agentVersion", equalTo("1.0-first")));
        try (Reports reports = new Reports()) {
            reports.send(new RunEvent.Started(run, 0, 2, "b", 8, "node-b", List.of("t"), "2.0-second", now));
            reports.send(new RunEvent.Heartbeat(run, 0, 3, now + 1000, null, 2.0, 1L, 1, List.of(h100)));
        }
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/runs/{id}/metrics", run).then()
                .body("attempts[0].lastHeartbeatAt", org.hamcrest.Matchers.notNullValue())
                .body("attempts[0].agentId", equalTo("b")));
        given().get("/api/v1/runs/{id}", run).then()
                .body("provenance.gpuModel", equalTo("2 x NVIDIA A10"))
                .body("provenance.agentVersion", equalTo("1.0-first"));
    }
}
