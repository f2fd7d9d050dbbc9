package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The REST resources behind the dashboard: the run table, the sweeps overview, coordinates and the static UI. */
@QuarkusTest
class DashboardApiTest {

    @Inject
    MetricSummaries summaries;

    @TestHTTPResource("/")
    URL server;

    /** A 2 x 3 grid (lr x batch) with objective {@code loss} to minimize; returns the sweep id. */
    private static int gridSweep(String goal) {
        String yaml = "name: " + Sweeps.uniqueName() + "\nimage: python:3.12-slim\nprogram: train.py\nmethod: grid\n"
                + "metric:\n  name: loss\n  goal: " + goal + "\n"
                + "parameters:\n  lr:\n    values: [0.1, 0.01]\n  batch:\n    values: [64, 8, 256]\n";
        return Sweeps.submitYaml(yaml).statusCode(201).extract().path("id");
    }

    private static List<Long> runIds(int sweep) {
        List<Number> ids = given().queryParam("size", 500).get("/api/v1/sweeps/{id}/runs", sweep).then()
                .statusCode(200).extract().path("items.id");
        return ids.stream().map(Number::longValue).toList();
    }

    @Test
    void servesTheDashboardAndItsChartLibraryFromTheOrchestrator() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("/ui/main.js"));
        given().get("/ui/main.js").then().statusCode(200).body(containsString("hashchange"))
                .header("Cache-Control", containsString("max-age=0"));
        given().get("/_static/echarts/dist/echarts.esm.min.js").then().statusCode(200)
                .body(containsString("registerTheme"));
    }

    @Test
    void documentsTheDashboardOperationsInTheOpenApiDocument() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/sweeps/overview'.get.operationId", equalTo("listSweepOverviews"))
                .body("paths.'/api/v1/sweeps/{id}/table'.get.operationId", equalTo("getSweepTable"))
                .body("paths.'/api/v1/sweeps/{id}/coordinates'.get.operationId", equalTo("getSweepCoordinates"))
                .body("paths.'/api/v1/sweeps/{id}/live'.get.operationId", equalTo("followSweepRuns"));
    }

    @Test
    void listsRunsWithParametersAndMetricSummariesAsColumns() {
        int sweep = gridSweep("minimize");
        List<Long> runs = runIds(sweep);
        summaries.put(runs.get(0), "loss", 0.5, 0.4, 2.0, 100);
        summaries.put(runs.get(0), "acc", 0.8);
        summaries.put(runs.get(1), "sys/cpu.percent", 93.0);
        given().queryParam("sort", "index").get("/api/v1/sweeps/{id}/table", sweep).then().statusCode(200)
                .body("objective.name", equalTo("loss"))
                .body("parameters", contains("lr", "batch"))
                .body("metrics", contains("loss", "acc"))
                .body("total", equalTo(6))
                .body("items[0].parameters.lr", equalTo(0.1f))
                .body("items[0].metrics.loss.last", equalTo(0.5f))
                .body("items[0].metrics.loss.min", equalTo(0.4f))
                .body("items[0].metrics.loss.max", equalTo(2.0f))
                .body("items[0].metrics.loss.points", equalTo(100))
                .body("items[0].metrics.acc.last", equalTo(0.8f))
                .body("items[1].metrics", equalTo(java.util.Map.of()));
    }

    @Test
    void sortsByTheObjectiveWithNaNAndMissingValuesLastInBothDirections() {
        int sweep = gridSweep("minimize");
        List<Long> runs = runIds(sweep);
        summaries.put(runs.get(0), "loss", 0.30);
        summaries.put(runs.get(1), "loss", Double.NaN);
        summaries.put(runs.get(2), "loss", 0.10);
        summaries.put(runs.get(3), "loss", Double.POSITIVE_INFINITY);
        summaries.put(runs.get(4), "loss", 0.20);
        given().queryParam("sort", "metric:loss").get("/api/v1/sweeps/{id}/table", sweep).then().statusCode(200)
                .body("items.index", contains(2, 4, 0, 3, 1, 5))
                .body("items[3].metrics.loss.last", equalTo("Infinity"))
                .body("items[4].metrics.loss.last", equalTo("NaN"));
        given().queryParam("sort", "-metric:loss").get("/api/v1/sweeps/{id}/table", sweep).then().statusCode(200)
                .body("items.index", contains(3, 0, 4, 2, 1, 5));
    }

    @Test
    void sortsByAParameterNumericallyAndByMinimumOrMaximum() {
        int sweep = gridSweep("minimize");
        List<Long> runs = runIds(sweep);
        // grid order: (0.1, 64) (0.1, 8) (0.1, 256) (0.01, 64) (0.01, 8) (0.01, 256)
        given().queryParam("sort", "param:batch").get("/api/v1/sweeps/{id}/table", sweep).then().statusCode(200)
                .body("items.parameters.batch", contains(8, 8, 64, 64, 256, 256))
                .body("items.index", contains(1, 4, 0, 3, 2, 5));
        summaries.put(runs.get(0), "loss", 1.0, 0.9, 5.0, 10);
        summaries.put(runs.get(1), "loss", 1.0, 0.1, 3.0, 10);
        given().queryParam("sort", "metric.min:loss").queryParam("size", 2)
                .get("/api/v1/sweeps/{id}/table", sweep).then().statusCode(200).body("items.index", contains(1, 0));
        given().queryParam("sort", "-metric.max:loss").queryParam("size", 2)
                .get("/api/v1/sweeps/{id}/table", sweep).then().statusCode(200).body("items.index", contains(0, 1));
    }

    @Test
    void filtersByStateAndPagesOnTheServer() {
        int sweep = gridSweep("minimize");
        given().post("/api/v1/sweeps/{id}/cancel", sweep).then().statusCode(200);
        int other = gridSweep("minimize");
        given().queryParam("state", "CANCELLED").get("/api/v1/sweeps/{id}/table", sweep).then().statusCode(200)
                .body("total", equalTo(6)).body("items.state", everyItem(equalTo("CANCELLED")));
        given().queryParam("state", "queued,running").get("/api/v1/sweeps/{id}/table", sweep).then()
                .statusCode(200).body("total", equalTo(0)).body("items", hasSize(0));
        given().queryParam("state", "QUEUED").queryParam("state", "RUNNING").queryParam("size", 4)
                .queryParam("page", 1).queryParam("sort", "-index")
                .get("/api/v1/sweeps/{id}/table", other).then().statusCode(200)
                .body("total", equalTo(6)).body("page", equalTo(1)).body("size", equalTo(4))
                .body("items.index", contains(1, 0));
    }

    @Test
    void keepsTheRunOrderWhenSortedByAMetricNoRunReported() {
        int sweep = gridSweep("minimize");
        given().queryParam("sort", "-metric:never-reported-" + Sweeps.uniqueName())
                .get("/api/v1/sweeps/{id}/table", sweep).then().statusCode(200)
                .body("items.index", contains(0, 1, 2, 3, 4, 5));
    }

    @Test
    void marksTheBestRunForTheGoalOverTheWholeSweep() {
        int sweep = gridSweep("maximize");
        List<Long> runs = runIds(sweep);
        summaries.put(runs.get(2), "loss", 7.0);
        summaries.put(runs.get(4), "loss", 9.0);
        summaries.put(runs.get(5), "loss", Double.NaN);
        given().queryParam("size", 2).get("/api/v1/sweeps/{id}/table", sweep).then().statusCode(200)
                .body("best.runId", equalTo(runs.get(4).intValue())).body("best.index", equalTo(4))
                .body("best.value", equalTo(9.0f))
                .body("items.best", contains(false, false));
        given().queryParam("sort", "-metric:loss").get("/api/v1/sweeps/{id}/table", sweep).then()
                .body("items[0].best", equalTo(true)).body("items[0].index", equalTo(4));
        given().get("/api/v1/sweeps/{id}", sweep).then().statusCode(200)
                .body("best.runId", equalTo(runs.get(4).intValue())).body("best.value", equalTo(9.0f))
                .body("best.parameters.lr", equalTo(0.01f)).body("best.parameters.batch", equalTo(8));
    }

    @Test
    void refusesUnknownSortKeysStatesAndParametersNamingTheField() {
        int sweep = gridSweep("minimize");
        for (String sort : List.of("bogus", "param:nope", "metric:", "metric.median:loss", "-", "index:")) {
            given().queryParam("sort", sort).get("/api/v1/sweeps/{id}/table", sweep).then().statusCode(400)
                    .contentType(Problem.MEDIA_TYPE).body("errors[0].field", equalTo("sort"));
        }
        given().queryParam("state", "SLEEPING").get("/api/v1/sweeps/{id}/table", sweep).then().statusCode(400)
                .body("errors[0].field", equalTo("state"));
        given().queryParam("size", 501).get("/api/v1/sweeps/{id}/table", sweep).then().statusCode(400)
                .body("errors[0].field", equalTo("size"));
        given().get("/api/v1/sweeps/{id}/table", 999_999_999).then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void listsEachSweepWithItsBestRunSoFar() {
        String project = Sweeps.uniqueName();
        String yaml = "project: " + project + "\nmetric:\n  name: loss\n";
        int first = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), yaml)).statusCode(201).extract().path("id");
        int second = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), yaml)).statusCode(201).extract().path("id");
        List<Long> runs = runIds(first);
        summaries.put(runs.get(0), "loss", 0.7);
        summaries.put(runs.get(1), "loss", 0.2);
        given().queryParam("project", project).get("/api/v1/sweeps/overview").then().statusCode(200)
                .body("total", equalTo(2))
                .body("items.sweep.id", contains(second, first))
                .body("items[0].best", nullValue())
                .body("items[1].best.runId", equalTo(runs.get(1).intValue()))
                .body("items[1].best.value", equalTo(0.2f))
                .body("items[1].sweep.runCounts.QUEUED", equalTo(2));
        given().queryParam("status", "asleep").get("/api/v1/sweeps/overview").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
    }

    @Test
    void givesEachRunsParametersAndObjectiveBestFirstForTheParallelPlot() {
        int sweep = gridSweep("minimize");
        List<Long> runs = runIds(sweep);
        summaries.put(runs.get(0), "loss", 0.9);
        summaries.put(runs.get(3), "loss", 0.1);
        summaries.put(runs.get(5), "acc", 0.5);
        given().get("/api/v1/sweeps/{id}/coordinates", sweep).then().statusCode(200)
                .body("metric", equalTo("loss")).body("goal", equalTo("minimize"))
                .body("parameters", contains("lr", "batch"))
                .body("items.index", contains(3, 0))
                .body("items[0].parameters.lr", equalTo(0.01f)).body("items[0].value", equalTo(0.1f));
        given().queryParam("metric", "acc").queryParam("goal", "maximize").queryParam("limit", 1)
                .get("/api/v1/sweeps/{id}/coordinates", sweep).then().statusCode(200)
                .body("items.index", contains(5));
        given().queryParam("limit", 0).get("/api/v1/sweeps/{id}/coordinates", sweep).then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void refusesToFollowRunsOfAnotherSweep() throws Exception {
        int sweep = gridSweep("minimize");
        long foreign = runIds(gridSweep("minimize")).get(0);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server + "api/v1/sweeps/" + sweep + "/live?run=" + foreign))
                .header("Accept", "text/event-stream")
                        .header("Authorization", dev.reprise.orchestrator.security.TestCredentials.adminBearer())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("is not a run of sweep");
    }
}
