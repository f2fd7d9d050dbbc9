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
}
