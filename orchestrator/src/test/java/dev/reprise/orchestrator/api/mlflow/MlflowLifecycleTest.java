package dev.reprise.orchestrator.api.mlflow;

import static dev.reprise.orchestrator.api.mlflow.MlflowBadInputTest.API;
import static dev.reprise.orchestrator.api.mlflow.MlflowBadInputTest.metric;
import static dev.reprise.orchestrator.api.mlflow.MlflowBadInputTest.mlflowError;
import static dev.reprise.orchestrator.api.mlflow.MlflowBadInputTest.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The MLflow API's soft delete and restore of experiments and runs, search by tags, params and attributes with
 * order_by, paged metric history and dataset inputs.
 */
@QuarkusTest
class MlflowLifecycleTest {

    @Test
    void deletedExperimentsAndRunsLeaveSearchesUntilRestored() {
        String name = "lifecycle-" + UUID.randomUUID();
        String experiment = post("experiments/create", Map.of("name", name)).statusCode(200).extract()
                .path("experiment_id");
        String kept = run(experiment, "kept", 1);
        String deleted = run(experiment, "deleted", 2);

        post("experiments/delete", Map.of("experiment_id", experiment)).statusCode(200);
        assertThat(experiments("name = '" + name + "'", "ACTIVE_ONLY")).isEmpty();
        assertThat(experiments("name = '" + name + "'", "DELETED_ONLY")).containsExactly(experiment);
        assertThat(given().queryParam("experiment_id", experiment).get(API + "experiments/get").then()
                .statusCode(200).extract().<String>path("experiment.lifecycle_stage")).isEqualTo("deleted");
        mlflowError(post("experiments/delete", Map.of("experiment_id", experiment)), 400, "INVALID_PARAMETER_VALUE");
        mlflowError(post("runs/create", Map.of("experiment_id", experiment)), 400, "INVALID_PARAMETER_VALUE");
        post("experiments/restore", Map.of("experiment_id", experiment)).statusCode(200);
        assertThat(experiments("name LIKE '" + name.substring(0, 20) + "%'", null)).containsExactly(experiment);

        post("runs/delete", Map.of("run_id", deleted)).statusCode(200);
        assertThat(runs(experiment, null, List.of(), null)).containsExactly(kept);
        assertThat(runs(experiment, null, List.of(), "DELETED_ONLY")).containsExactly(deleted);
        mlflowError(post("runs/log-metric", Map.of("run_id", deleted, "key", "x", "value", 1, "timestamp", 1)),
                400, "INVALID_PARAMETER_VALUE");
        assertThat(given().queryParam("run_id", deleted).get(API + "runs/get").then().statusCode(200).extract()
                .<String>path("run.info.lifecycle_stage")).isEqualTo("deleted");
        post("runs/restore", Map.of("run_id", deleted)).statusCode(200);
        assertThat(runs(experiment, null, List.of("attributes.start_time ASC"), "ACTIVE_ONLY"))
                .containsExactly(kept, deleted);
    }

    @Test
    void searchFiltersOnTagsParamsAndAttributesAndOrdersByParams() {
        String experiment = post("experiments/create", Map.of("name", "search-" + UUID.randomUUID())).statusCode(200)
                .extract().path("experiment_id");
        String alpha = run(experiment, "alpha", 1);
        String beta = run(experiment, "beta", 2);
        String gamma = run(experiment, "gamma", 3);
        Map<String, String[]> data = Map.of(alpha, new String[] {"0.1", "vision"}, beta, new String[] {"0.2", "nlp"},
                gamma, new String[] {"0.3", "vision"});
        data.forEach((run, d) -> post("runs/log-batch", Map.of("run_id", run,
                "params", List.of(Map.of("key", "lr", "value", d[0])),
                "tags", List.of(Map.of("key", "team", "value", d[1])))).statusCode(200));

        assertThat(runs(experiment, "tags.team = 'vision'", List.of(), null)).containsExactlyInAnyOrder(alpha, gamma);
        assertThat(runs(experiment, "params.lr LIKE '0.%' and tags.team != 'nlp'", List.of(), null))
                .containsExactlyInAnyOrder(alpha, gamma);
        assertThat(runs(experiment, "attributes.run_name IN ('alpha', 'beta')", List.of(), null))
                .containsExactlyInAnyOrder(alpha, beta);
        assertThat(runs(experiment, "run_name ILIKE 'GAM%'", List.of(), null)).containsExactly(gamma);
        assertThat(runs(experiment, "attributes.start_time > 1700000000001", List.of(), null))
                .containsExactlyInAnyOrder(beta, gamma);
        assertThat(runs(experiment, null, List.of("params.lr DESC"), null)).containsExactly(gamma, beta, alpha);
        assertThat(runs(experiment, null, List.of("tags.team ASC", "params.lr DESC"), null))
                .containsExactly(beta, gamma, alpha);
    }

    @Test
    void metricHistoryPagesFollowTheirTokensAndDatasetInputsShowOnTheRun() {
        String experiment = post("experiments/create", Map.of("name", "history-" + UUID.randomUUID()))
                .statusCode(200).extract().path("experiment_id");
        String run = run(experiment, "paged", 1);
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int step = 0; step < 30; step++) {
            metrics.add(metric("loss", step * 0.5, step));
        }
        post("runs/log-batch", Map.of("run_id", run, "metrics", metrics)).statusCode(200);

        List<Integer> steps = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            var request = given().queryParam("run_id", run).queryParam("metric_key", "loss")
                    .queryParam("max_results", 12);
            if (token != null) {
                request = request.queryParam("page_token", token);
            }
            JsonPath page = request.get(API + "metrics/get-history").then().statusCode(200).extract().jsonPath();
            steps.addAll(page.getList("metrics.step", Integer.class));
            assertThat(page.getList("metrics")).hasSizeLessThanOrEqualTo(12);
            token = page.getString("next_page_token");
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(steps).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 30).boxed()
                .toList());

        Map<String, Object> input = Map.of("dataset", Map.of("name", "mnist", "digest", "d41d8cd9",
                "source_type", "local", "source", "{\"uri\": \"/data/mnist\"}"),
                "tags", List.of(Map.of("key", "mlflow.data.context", "value", "training")));
        post("runs/log-inputs", Map.of("run_id", run, "datasets", List.of(input))).statusCode(200);
        post("runs/log-inputs", Map.of("run_id", run, "datasets", List.of(input))).statusCode(200);
        JsonPath got = given().queryParam("run_id", run).get(API + "runs/get").then().statusCode(200).extract()
                .jsonPath();
        assertThat(got.getList("run.inputs.dataset_inputs")).hasSize(1);
        assertThat(got.getString("run.inputs.dataset_inputs[0].dataset.name")).isEqualTo("mnist");
        assertThat(got.getString("run.inputs.dataset_inputs[0].dataset.digest")).isEqualTo("d41d8cd9");
        assertThat(got.getString("run.inputs.dataset_inputs[0].tags[0].value")).isEqualTo("training");
    }

    private static String run(String experiment, String name, long startOffset) {
        return post("runs/create", Map.of("experiment_id", experiment, "run_name", name,
                "start_time", 1_700_000_000_000L + startOffset)).statusCode(200).extract().path("run.info.run_id");
    }

    private static List<String> experiments(String filter, String viewType) {
        Map<String, Object> body = new HashMap<>(Map.of("filter", filter, "max_results", 100));
        if (viewType != null) {
            body.put("view_type", viewType);
        }
        return post("experiments/search", body).statusCode(200).extract().jsonPath()
                .getList("experiments.experiment_id", String.class);
    }

    private static List<String> runs(String experiment, String filter, List<String> orderBy, String viewType) {
        Map<String, Object> body = new HashMap<>(Map.of("experiment_ids", List.of(experiment), "order_by", orderBy));
        if (filter != null) {
            body.put("filter", filter);
        }
        if (viewType != null) {
            body.put("run_view_type", viewType);
        }
        return post("runs/search", body).statusCode(200).extract().jsonPath().getList("runs.info.run_id",
                String.class);
    }
}
