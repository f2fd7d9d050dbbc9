package dev.reprise.orchestrator.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.reprise.api.messages.LogStream;
import dev.reprise.api.messages.MetricPoint;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.Topics;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the ingest does with input it cannot take as it is. */
@QuarkusTest
class BadInputTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    ReportIngest ingest;

    @Inject
    StoredPoints stored;

    @BeforeEach
    void ingestIsListening() {
        await().atMost(PATIENCE).until(ingest::ready);
    }

    @Test
    void storesNanAndInfinitiesAsTheyAreAndLeavesNanOutOfMinAndMax() {
        long run = TestRuns.create();
        try (Reports reports = new Reports()) {
            reports.batch(run, 0, 0, List.of(Reports.point("loss", 0, 1.5, 0), Reports.point("loss", 1, Double.NaN, 1),
                    Reports.point("loss", 2, Double.POSITIVE_INFINITY, 2),
                    Reports.point("loss", 3, Double.NEGATIVE_INFINITY, 3)));
        }
        await().atMost(PATIENCE).until(() -> stored.of(run).size() == 4);
        assertThat(stored.of(run)).extracting(StoredPoints.Row::value).containsExactly(1.5, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        given().get("/api/v1/runs/{id}/metrics", run).then().statusCode(200)
                .body("keys[0].points", equalTo(4)).body("keys[0].nanPoints", equalTo(1))
                .body("keys[0].min", equalTo("-Infinity")).body("keys[0].max", equalTo("Infinity"))
                .body("keys[0].last", equalTo("-Infinity"));
        given().get("/api/v1/runs/{id}/metrics/loss", run).then().statusCode(200)
                .body("points.value", org.hamcrest.Matchers.contains(1.5f, "NaN", "Infinity", "-Infinity"));
    }

    @Test
    void refusesAbsurdKeysWithACountedWarningAndKeepsTheRestOfTheBatch() {
        long run = TestRuns.create();
        String tooLong = "k".repeat(MetricPoint.MAX_KEY_LENGTH + 1);
        try (Reports reports = new Reports()) {
            List<MetricPoint> points = List.of(Reports.point("ok", 0, 1, 0), Reports.point(tooLong, 0, 1, 1),
                    Reports.point(tooLong, 1, 1, 2), Reports.point("bell\u0007", 0, 1, 3),
                    Reports.point("sys/cpu.percent", 0, 1, 4));
            reports.batch(run, 0, 7, points);
            reports.batch(run, 0, 7, points); // redelivered: counted once
            reports.batch(run, 0, 8, List.of(Reports.point("ok", 1, 2, 5)));
        }
        await().atMost(PATIENCE).until(() -> stored.of(run).size() == 2);
        assertThat(stored.of(run)).extracting(StoredPoints.Row::key).containsOnly("ok");
        given().get("/api/v1/runs/{id}/metrics", run).then().statusCode(200)
                .body("warnings.size()", equalTo(3))
                .body("warnings.find { it.reason == 'key longer than 256 characters' }.count", equalTo(2))
                .body("warnings.find { it.reason == 'key longer than 256 characters' }.source", equalTo("ingest"))
                .body("warnings.find { it.reason == 'key contains control characters' }.example",
                        equalTo("bell\\u0007"))
                .body("warnings.find { it.reason == 'key uses the reserved prefix sys/' }.count", equalTo(1));
    }

    @Test
    void countsTheAgentsOwnWarningsOnceEvenWhenRedelivered() {
        long run = TestRuns.create();
        RunEvent.MetricWarning warning = new RunEvent.MetricWarning(run, 0, 3, 12, "key longer than 256 characters",
                "kkkk…", System.currentTimeMillis());
        try (Reports reports = new Reports()) {
            reports.send(warning);
            reports.send(warning);
            reports.batch(run, 0, 0, List.of(Reports.point("done", 0, 1, 0)));
        }
        await().atMost(PATIENCE).until(() -> stored.of(run).size() == 1);
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/runs/{id}/metrics", run).then()
                .body("warnings[0].source", equalTo("agent")).body("warnings[0].count", equalTo(12)));
    }

    @Test
    void deadLettersAReportForAnUnknownRunAndGoesOn() {
        long unknown = Long.MAX_VALUE - ThreadLocalRandom.current().nextInt(1_000_000);
        long run = TestRuns.create();
        try (DeadLetterWatch dead = new DeadLetterWatch(Topics.METRICS + ".dead-letter");
                Reports reports = new Reports()) {
            reports.batch(unknown, 0, 0, List.of(Reports.point("loss", 0, 1, 0)));
            reports.batch(run, 0, 0, List.of(Reports.point("loss", 0, 1, 0)));
            await().atMost(PATIENCE).until(() -> !dead.withKey(Topics.key(unknown)).isEmpty());
            assertThat(DeadLetterWatch.headers(dead.withKey(Topics.key(unknown)).get(0)))
                    .containsEntry("kind", "unknown-run")
                    .containsEntry("reason", "run " + unknown + " does not exist");
        }
        await().atMost(PATIENCE).until(() -> stored.of(run).size() == 1);
        assertThat(stored.count("select count(*) from metric_points where run_id = ?", unknown)).isZero();
    }

    @Test
    void deadLettersPoisonWithoutBlockingTheRunsLaterReports() {
        long run = TestRuns.create();
        try (DeadLetterWatch dead = new DeadLetterWatch(Topics.RUN_EVENTS + ".dead-letter");
                Reports reports = new Reports()) {
            reports.send(Topics.RUN_EVENTS, Topics.key(run), "{not json".getBytes(StandardCharsets.UTF_8));
            reports.send(Topics.RUN_EVENTS, Topics.key(run),
                    "{\"type\":\"teleport\",\"runId\":1}".getBytes(StandardCharsets.UTF_8));
            reports.send(Topics.RUN_EVENTS, Topics.key(run + 1), new dev.reprise.api.messages.MessageCodec()
                    .encode(new RunEvent.LogChunk(run, 0, 0, LogStream.STDOUT, 0, List.of("wrong key"))));
            reports.send(new RunEvent.LogChunk(run, 0, 1, LogStream.STDOUT, 0, List.of("a\0b", "after poison")));
            // every orchestrator reading the topic dead-letters the same records: count distinct origins
            await().atMost(PATIENCE).until(() -> DeadLetterWatch.origins(dead.withKey(Topics.key(run))).size() == 2
                    && DeadLetterWatch.origins(dead.withKey(Topics.key(run + 1))).size() == 1);
            assertThat(dead.withKey(Topics.key(run))).extracting(r -> DeadLetterWatch.header(r, "kind"))
                    .containsOnly("malformed");
            assertThat(dead.withKey(Topics.key(run + 1))).extracting(r -> DeadLetterWatch.header(r, "kind"))
                    .containsOnly("key-mismatch");
        }
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/runs/{id}/logs", run).then()
                .statusCode(200).body("total", equalTo(2))
                .body("items.text", hasItems("a\uFFFDb", "after poison")));
    }
}
