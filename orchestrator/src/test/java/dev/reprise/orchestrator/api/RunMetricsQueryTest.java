package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.reprise.api.messages.MetricPoint;
import dev.reprise.orchestrator.messaging.ReportIngest;
import dev.reprise.orchestrator.messaging.Reports;
import dev.reprise.orchestrator.messaging.StoredPoints;
import dev.reprise.orchestrator.messaging.TestRuns;
import dev.reprise.orchestrator.persistence.MetricRollups;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /runs/{id}/metrics and /runs/{id}/metrics/{key}: summaries, ranges, attempts and downsampling. */
@QuarkusTest
class RunMetricsQueryTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    ReportIngest ingest;

    @Inject
    StoredPoints stored;

    @Inject
    MetricRollups rollups;

    @Test
    void listsEveryKeyWithItsSummaryAndAnswersARangeAtFullResolution() {
        long run = reported(List.of(0, 1), 200);
        given().get("/api/v1/runs/{id}/metrics", run).then().statusCode(200)
                .body("runId", equalTo((int) run))
                .body("keys.key", contains("train/acc", "train/loss"))
                .body("keys[1].points", equalTo(400))
                .body("keys[1].lastAttempt", equalTo(1))
                .body("keys[1].lastStep", equalTo(199))
                .body("keys[1].last", equalTo(1000f + 199))
                .body("keys[1].min", equalTo(0f))
                .body("keys[1].max", equalTo(1199f));
        given().queryParam("from", 10).queryParam("to", 14).get("/api/v1/runs/{id}/metrics/train/loss", run).then()
                .statusCode(200)
                .body("attempt", equalTo(1)).body("total", equalTo(5)).body("downsampled", equalTo(false))
                .body("method", equalTo("none"))
                .body("points.step", contains(10, 11, 12, 13, 14))
                .body("points.value", contains(1010f, 1011f, 1012f, 1013f, 1014f));
        given().queryParam("attempt", 0).queryParam("to", 2).get("/api/v1/runs/{id}/metrics/train/loss", run).then()
                .statusCode(200).body("attempt", equalTo(0)).body("points.value", contains(0f, 1f, 2f));
    }

    @Test
    void downsamplesAMillionPointSeriesToMaxPointsKeepingItsExtremes() throws Exception {
        long run = TestRuns.create();
        stored.execute("insert into metric_keys (name) values ('big') on conflict do nothing");
        stored.execute("""
                insert into metric_points (run_id, key_id, step, attempt, seq, ts, value)
                select ?, (select id from metric_keys where name = 'big'), s, 0, s, now(),
                       case s when 123456 then -1000 when 777777 then 1000 else sin(s / 1000.0) end
                from generate_series(0, 999999) s""", run);
        stored.execute("""
                insert into metric_summaries (run_id, key_id, points, nan_points, last_attempt, last_step, last_seq,
                                              last_value, last_ts, min_value, max_value)
                select ?, id, 1000000, 0, 0, 999999, 999999, 0, now(), -1000, 1000 from metric_keys where name = 'big'
                """, run);
        rollups.rebuild(run); // what the ingest maintains along with the points
        try {
            JsonPath series = given().queryParam("max_points", 500).get("/api/v1/runs/{id}/metrics/big", run)
                    .then().statusCode(200)
                    .body("total", equalTo(1_000_000)).body("downsampled", equalTo(true))
                    .body("method", equalTo("min-max")).body("firstStep", equalTo(0))
                    .body("lastStep", equalTo(999_999))
                    .extract().jsonPath();
            List<Integer> steps = series.getList("points.step", Integer.class);
            assertThat(steps).hasSizeBetween(400, 500).isSorted();
            assertThat(series.getList("points", Map.class))
                    .anySatisfy(p -> assertThat(p).containsEntry("step", 123456).containsEntry("value", -1000.0f))
                    .anySatisfy(p -> assertThat(p).containsEntry("step", 777777).containsEntry("value", 1000.0f));
            given().queryParam("from", 5000).queryParam("to", 5999).queryParam("max_points", 1000)
                    .get("/api/v1/runs/{id}/metrics/big", run).then().statusCode(200)
                    .body("downsampled", equalTo(false)).body("points", hasSize(1000));
        } finally {
            stored.execute("delete from metric_points where run_id = ?", run);
            stored.execute("delete from metric_summaries where run_id = ?", run);
            stored.execute("delete from metric_rollups where run_id = ?", run);
            stored.execute("vacuum metric_points");
        }
    }

    @Test
    void answersUnknownRunsAndKeysWith404AndBadParametersWith400() {
        long run = reported(List.of(0), 3);
        given().get("/api/v1/runs/999999999/metrics").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given().get("/api/v1/runs/999999999/metrics/train/loss").then().statusCode(404);
        given().get("/api/v1/runs/{id}/metrics/nope", run).then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("detail", equalTo("metric 'nope' of run " + run + " does not exist"));
        given().queryParam("max_points", 1).get("/api/v1/runs/{id}/metrics/train/loss", run).then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("errors[0].field", equalTo("max_points"));
        given().queryParam("from", 5).queryParam("to", 4).get("/api/v1/runs/{id}/metrics/train/loss", run).then()
                .statusCode(400).body("errors[0].field", equalTo("to"));
        given().queryParam("attempt", -1).get("/api/v1/runs/{id}/metrics/train/loss", run).then().statusCode(400)
                .body("errors[0].field", equalTo("attempt"));
        given().get("/api/v1/runs/{id}/metrics/" + "k".repeat(MetricPoint.MAX_KEY_LENGTH + 1), run).then()
                .statusCode(400).body("errors[0].field", equalTo("key"));
    }

    @Test
    void documentsTheMetricsOperationsInTheOpenApiDocument() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/runs/{id}/metrics'.get.operationId", equalTo("listRunMetrics"))
                .body("paths.'/api/v1/runs/{id}/metrics/{key}'.get.operationId", equalTo("getRunMetric"))
                .body("paths.'/api/v1/runs/{id}/logs'.get.operationId", equalTo("getRunLogs"))
                .body("paths.'/api/v1/runs/{id}/live'.get.operationId", equalTo("followRun"));
    }

    /** A run with train/loss = 1000 * attempt + step and train/acc = step, for each attempt. */
    private long reported(List<Integer> attempts, int steps) {
        await().atMost(PATIENCE).until(ingest::ready);
        long run = TestRuns.create();
        try (Reports reports = new Reports()) {
            for (int attempt : attempts) {
                List<MetricPoint> points = new ArrayList<>();
                for (int s = 0; s < steps; s++) {
                    points.add(Reports.point("train/loss", s, 1000.0 * attempt + s, 2L * s));
                    points.add(Reports.point("train/acc", s, s, 2L * s + 1));
                }
                for (int i = 0; i < points.size(); i += 500) {
                    reports.batch(run, attempt, i / 500, points.subList(i, Math.min(points.size(), i + 500)));
                }
            }
        }
        int expected = attempts.size() * steps * 2;
        await().atMost(PATIENCE).until(() -> stored.of(run).size() == expected);
        return run;
    }
}
