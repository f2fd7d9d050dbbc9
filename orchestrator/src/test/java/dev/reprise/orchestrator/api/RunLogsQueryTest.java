package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.reprise.api.messages.LogStream;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.StopReason;
import dev.reprise.orchestrator.messaging.ReportIngest;
import dev.reprise.orchestrator.messaging.Reports;
import dev.reprise.orchestrator.messaging.TestRuns;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /runs/{id}/logs: both streams in shipping order, one stream from a line on, pages, completion. */
@QuarkusTest
class RunLogsQueryTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    ReportIngest ingest;

    @Test
    void interleavesBothStreamsInShippingOrderAndPagesThem() {
        long run = shipped();
        given().get("/api/v1/runs/{id}/logs", run).then().statusCode(200)
                .body("total", equalTo(7)).body("attempt", equalTo(0)).body("complete", equalTo(false))
                .body("items.text", contains("out 0", "out 1", "out 2", "err 0", "err 1", "out 3", "out 4"))
                .body("items.stream", contains("stdout", "stdout", "stdout", "stderr", "stderr", "stdout", "stdout"));
        given().queryParam("page", 1).queryParam("size", 2).get("/api/v1/runs/{id}/logs", run).then()
                .statusCode(200).body("page", equalTo(1)).body("size", equalTo(2))
                .body("items.text", contains("out 2", "err 0"));
    }

    @Test
    void followsOneStreamFromALineAndSaysWhenTheAttemptIsComplete() {
        long run = shipped();
        given().queryParam("stream", "stdout").queryParam("from_line", 3).get("/api/v1/runs/{id}/logs", run).then()
                .statusCode(200).body("total", equalTo(2)).body("items.line", contains(3, 4));
        given().queryParam("stream", "stderr").get("/api/v1/runs/{id}/logs", run).then()
                .body("items.text", contains("err 0", "err 1"));
        try (Reports reports = new Reports()) {
            reports.send(new RunEvent.Finished(run, 0, 3, 0, StopReason.COMPLETED, null, System.currentTimeMillis()));
        }
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/runs/{id}/logs", run).then()
                .body("complete", equalTo(true)));
    }

    @Test
    void answersBadParametersWith400AndUnknownRunsWith404() {
        given().get("/api/v1/runs/999999999/logs").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        long run = TestRuns.create();
        given().queryParam("stream", "both").get("/api/v1/runs/{id}/logs", run).then().statusCode(400)
                .body("errors[0].field", equalTo("stream"));
        given().queryParam("from_line", 3).get("/api/v1/runs/{id}/logs", run).then().statusCode(400)
                .body("errors[0].field", equalTo("from_line"));
        given().queryParam("size", 501).get("/api/v1/runs/{id}/logs", run).then().statusCode(400)
                .body("errors[0].field", equalTo("size"));
        given().get("/api/v1/runs/{id}/logs", run).then().statusCode(200).body("total", equalTo(0));
    }

    private long shipped() {
        await().atMost(PATIENCE).until(ingest::ready);
        long run = TestRuns.create();
        try (Reports reports = new Reports()) {
            reports.send(new RunEvent.LogChunk(run, 0, 0, LogStream.STDOUT, 0, List.of("out 0", "out 1", "out 2")));
            reports.send(new RunEvent.LogChunk(run, 0, 1, LogStream.STDERR, 0, List.of("err 0", "err 1")));
            reports.send(new RunEvent.LogChunk(run, 0, 2, LogStream.STDOUT, 3, List.of("out 3", "out 4")));
        }
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/runs/{id}/logs", run).then()
                .body("total", equalTo(7)));
        return run;
    }
}
