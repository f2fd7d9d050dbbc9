package dev.reprise.orchestrator.api.mlflow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.reprise.orchestrator.security.TestCredentials;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Bad input to the MLflow API: MLflow's error codes and statuses, and nothing half-written. Also what must be
 * stored faithfully (NaN and infinities) and what must not be stored twice (a retried batch).
 */
@QuarkusTest
class MlflowBadInputTest {

    static final String API = "/mlflow/api/2.0/mlflow/";

    static ValidatableResponse post(String endpoint, Object body) {
        return given().contentType("application/json").body(body).post(API + endpoint).then();
    }

    static ValidatableResponse post(String endpoint, Object body, String bearer) {
        return given().header("Authorization", "Bearer " + bearer).contentType("application/json").body(body)
                .post(API + endpoint).then();
    }

    static String experiment() {
        return post("experiments/create", Map.of("name", "bad-input-" + UUID.randomUUID())).statusCode(200)
                .extract().path("experiment_id");
    }

    static String run(String experimentId) {
        return post("runs/create", Map.of("experiment_id", experimentId, "start_time", 1_700_000_000_000L))
                .statusCode(200).extract().path("run.info.run_id");
    }

    static JsonPath history(String runId, String key) {
        return given().queryParam("run_id", runId).queryParam("metric_key", key).get(API + "metrics/get-history")
                .then().statusCode(200).extract().jsonPath();
    }

    static ValidatableResponse mlflowError(ValidatableResponse r, int status, String code) {
        return r.statusCode(status).contentType("application/json").body("error_code", equalTo(code));
    }

    static Map<String, Object> metric(String key, Object value, long step) {
        return Map.of("key", key, "value", value, "timestamp", 1_700_000_000_000L + step, "step", step);
    }

    @Test
    void unknownRunsAndExperimentsAreResourceDoesNotExist() {
        mlflowError(given().queryParam("run_id", "999999999").get(API + "runs/get").then(), 404,
                "RESOURCE_DOES_NOT_EXIST");
        mlflowError(given().queryParam("run_id", "not-a-run").get(API + "runs/get").then(), 404,
                "RESOURCE_DOES_NOT_EXIST");
        mlflowError(given().queryParam("experiment_id", "999999999").get(API + "experiments/get").then(), 404,
                "RESOURCE_DOES_NOT_EXIST");
        mlflowError(post("runs/log-batch", Map.of("run_id", "999999999", "metrics", List.of(metric("a", 1, 0)))),
                404, "RESOURCE_DOES_NOT_EXIST");
        mlflowError(given().queryParam("experiment_name", "no-such-" + UUID.randomUUID())
                .get(API + "experiments/get-by-name").then(), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void controlAndBidiCharactersInALogBatchAreRefusedAndNothingIsStored() {
        String runId = run(experiment());
        String good = "{\"key\":\"a\",\"value\":1,\"timestamp\":1700000000000,\"step\":0}";
        for (String odd : List.of("\\u0000", "\u0000", "\u202E", "\\u2066", "\\u0085")) {
            post("runs/log-batch", "{\"run_id\":\"" + runId + "\",\"metrics\":[" + good + "],\"tags\":[{\"key\":"
                    + "\"t\",\"value\":\"x" + odd + "y\"}]}").statusCode(400);
            post("runs/log-batch", "{\"run_id\":\"" + runId + "\",\"metrics\":[" + good.replace("\"a\"", "\"a"
                    + odd + "\"") + "]}").statusCode(400);
        }
        assertThat(history(runId, "a").getList("metrics")).isEmpty();
    }

    @Test
    void malformedJsonIsAMalformedRequest() {
        String runId = run(experiment());
        mlflowError(post("runs/log-batch", "{\"run_id\": \"" + runId + "\", \"metrics\": [}"), 400,
                "MALFORMED_REQUEST");
        mlflowError(post("runs/log-batch", "[1, 2]"), 400, "MALFORMED_REQUEST");
        mlflowError(post("runs/log-metric", Map.of("run_id", runId, "key", "a", "value", "high", "timestamp", 1)),
                400, "INVALID_PARAMETER_VALUE");
        mlflowError(post("runs/log-metric", Map.of("run_id", runId, "key", "a", "value", 1)), 400,
                "INVALID_PARAMETER_VALUE"); // no timestamp
        assertThat(history(runId, "a").getList("metrics")).isEmpty();
    }

    @Test
    void aBatchOverMlflowsLimitsIsRefusedWhole() {
        String runId = run(experiment());
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int i = 0; i <= 1000; i++) {
            metrics.add(metric("loss", i, i));
        }
        mlflowError(post("runs/log-batch", Map.of("run_id", runId, "metrics", metrics)), 400,
                "INVALID_PARAMETER_VALUE");
        List<Map<String, String>> params = new ArrayList<>();
        List<Map<String, String>> tags = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            params.add(Map.of("key", "p" + i, "value", "v"));
            tags.add(Map.of("key", "t" + i, "value", "v"));
        }
        mlflowError(post("runs/log-batch", Map.of("run_id", runId, "params", params)), 400,
                "INVALID_PARAMETER_VALUE").body("message", containsString("100 params"));
        mlflowError(post("runs/log-batch", Map.of("run_id", runId, "tags", tags)), 400,
                "INVALID_PARAMETER_VALUE").body("message", containsString("100 tags"));

        JsonPath run = given().queryParam("run_id", runId).get(API + "runs/get").then().statusCode(200).extract()
                .jsonPath();
        assertThat(history(runId, "loss").getList("metrics")).isEmpty();
        assertThat(run.getList("run.data.params")).isEmpty();
        assertThat(run.getList("run.data.tags.key", String.class)).doesNotContain("t0");
    }

    @Test
    void aParamReloggedWithAnotherValueIsRefusedAndTheBatchCarryingItStoresNothing() {
        String runId = run(experiment());
        post("runs/log-parameter", Map.of("run_id", runId, "key", "lr", "value", "0.01")).statusCode(200);
        post("runs/log-parameter", Map.of("run_id", runId, "key", "lr", "value", "0.01")).statusCode(200);
        mlflowError(post("runs/log-parameter", Map.of("run_id", runId, "key", "lr", "value", "0.02")), 400,
                "INVALID_PARAMETER_VALUE").body("message", containsString("Changing param values is not allowed"));

        mlflowError(post("runs/log-batch", Map.of("run_id", runId, "metrics", List.of(metric("acc", 0.5, 0)),
                "params", List.of(Map.of("key", "epochs", "value", "3"), Map.of("key", "lr", "value", "0.5")),
                "tags", List.of(Map.of("key", "stage", "value", "x")))), 400, "INVALID_PARAMETER_VALUE");
        JsonPath run = given().queryParam("run_id", runId).get(API + "runs/get").then().statusCode(200).extract()
                .jsonPath();
        assertThat(run.getList("run.data.params.key", String.class)).containsExactly("lr");
        assertThat(run.getList("run.data.params.value", String.class)).containsExactly("0.01");
        assertThat(run.getList("run.data.tags.key", String.class)).doesNotContain("stage");
        assertThat(history(runId, "acc").getList("metrics")).isEmpty();
    }

    @Test
    void nanAndInfinitiesAreStoredFaithfully() {
        String runId = run(experiment());
        post("runs/log-batch", Map.of("run_id", runId, "metrics", List.of(metric("odd", "NaN", 0),
                metric("odd", "Infinity", 1), metric("odd", "-Infinity", 2), metric("odd", 1.5, 3)))).statusCode(200);
        post("runs/log-metric", "{\"run_id\": \"" + runId + "\", \"key\": \"odd\", \"value\": NaN, "
                + "\"timestamp\": 1700000000004, \"step\": 4}").statusCode(200);
        List<Object> values = history(runId, "odd").getList("metrics.value");
        assertThat(values).containsExactly("NaN", "Infinity", "-Infinity", 1.5f, "NaN");
        given().get("/api/v1/runs/{id}/metrics/odd", runId).then().statusCode(200)
                .body("points.value", equalTo(List.of("NaN", "Infinity", "-Infinity", 1.5f, "NaN")));
    }

    @Test
    void aRetriedBatchStoresEveryPointOnce() {
        String runId = run(experiment());
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            metrics.add(metric("loss", i * 0.1, i));
        }
        Map<String, Object> batch = Map.of("run_id", runId, "metrics", metrics,
                "params", List.of(Map.of("key", "lr", "value", "0.1")));
        post("runs/log-batch", batch).statusCode(200);
        post("runs/log-batch", batch).statusCode(200);
        assertThat(history(runId, "loss").getList("metrics")).hasSize(500);
        given().get("/api/v1/runs/{id}/metrics", runId).then().statusCode(200)
                .body("keys.find { it.key == 'loss' }.points", equalTo(500));
    }

    @Test
    void hugeTagValuesAreRefusedAtMlflowsLimits() {
        String experimentId = experiment();
        String runId = run(experimentId);
        post("runs/set-tag", Map.of("run_id", runId, "key", "notes", "value", "x".repeat(8000))).statusCode(200);
        mlflowError(post("runs/set-tag", Map.of("run_id", runId, "key", "notes", "value", "y".repeat(8001))), 400,
                "INVALID_PARAMETER_VALUE");
        mlflowError(post("runs/log-parameter", Map.of("run_id", runId, "key", "big", "value", "y".repeat(6001))),
                400, "INVALID_PARAMETER_VALUE");
        mlflowError(post("experiments/set-experiment-tag", Map.of("experiment_id", experimentId, "key", "notes",
                "value", "z".repeat(5001))), 400, "INVALID_PARAMETER_VALUE");
        mlflowError(post("runs/set-tag", Map.of("run_id", runId, "key", "k".repeat(251), "value", "v")), 400,
                "INVALID_PARAMETER_VALUE");
        JsonPath run = given().queryParam("run_id", runId).get(API + "runs/get").then().statusCode(200).extract()
                .jsonPath();
        assertThat(run.getString("run.data.tags.find { it.key == 'notes' }.value")).isEqualTo("x".repeat(8000));
    }

    @Test
    void aRunTokenReadsAndWritesOnlyItsOwnRun() {
        String experimentId = experiment();
        String own = run(experimentId);
        String other = run(experimentId);
        String token = TestCredentials.runToken(Long.parseLong(own), 0);

        post("runs/log-batch", Map.of("run_id", own, "metrics", List.of(metric("acc", 0.9, 0))), token)
                .statusCode(200);
        mlflowError(post("runs/log-batch", Map.of("run_id", other, "metrics", List.of(metric("acc", 0.9, 0))),
                token), 403, "PERMISSION_DENIED");
        mlflowError(post("runs/set-tag", Map.of("run_id", other, "key", "a", "value", "b"), token), 403,
                "PERMISSION_DENIED");
        mlflowError(given().header("Authorization", "Bearer " + token).queryParam("run_id", other)
                .get(API + "runs/get").then(), 403, "PERMISSION_DENIED");
        mlflowError(post("runs/create", Map.of("experiment_id", experimentId), token), 403, "PERMISSION_DENIED");
        mlflowError(post("experiments/create", Map.of("name", "x-" + UUID.randomUUID()), token), 403,
                "PERMISSION_DENIED");
        assertThat(history(other, "acc").getList("metrics")).isEmpty();
        assertThat(history(own, "acc").getList("metrics")).hasSize(1);
    }

    @Test
    void callersWithoutCredentialsAreUnauthenticated() {
        mlflowError(given().header("Authorization", "Bearer rpr_api_nonsense").queryParam("experiment_id", "1")
                .get(API + "experiments/get").then(), 401, "UNAUTHENTICATED");
    }

    @Test
    void badFiltersArePagesAreMlflowErrorsAndPagesFollowTokens() {
        String experimentId = experiment();
        for (int i = 0; i < 3; i++) {
            String runId = run(experimentId);
            post("runs/log-metric", Map.of("run_id", runId, "key", "acc", "value", i, "timestamp", 1, "step", 0))
                    .statusCode(200);
        }
        mlflowError(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "filter",
                "metrics.acc >> 1")), 400, "INVALID_PARAMETER_VALUE");
        mlflowError(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "filter",
                "metrics.acc = 1 or params.x = 'y'")), 400, "INVALID_PARAMETER_VALUE");
        JsonPath first = post("runs/search", Map.of("experiment_ids", List.of(experimentId), "max_results", 2,
                "order_by", List.of("metrics.acc DESC"))).statusCode(200).extract().jsonPath();
        assertThat(first.getList("runs")).hasSize(2);
        assertThat(first.getList("runs.collect { it.data.metrics[0].value }", Float.class)).containsExactly(2f, 1f);
        JsonPath second = post("runs/search", Map.of("experiment_ids", List.of(experimentId), "max_results", 2,
                "order_by", List.of("metrics.acc DESC"), "page_token", first.getString("next_page_token")))
                .statusCode(200).extract().jsonPath();
        assertThat(second.getList("runs.collect { it.data.metrics[0].value }", Float.class)).containsExactly(0f);
        assertThat(second.getString("next_page_token")).isNull();
        assertThat(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "filter",
                "metrics.acc >= 1 and attributes.status = 'RUNNING'")).statusCode(200).extract().jsonPath()
                .getList("runs")).hasSize(2);
    }
}
