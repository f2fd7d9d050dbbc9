package dev.reprise.orchestrator.execution.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A sweep on the local executor whose trainer reports only through the MLflow REST API (the calls the Python MLflow
 * library makes, attached by MLFLOW_RUN_ID): the sweep's objective comes from the MLflow-logged metric.
 */
@QuarkusTest
@TestProfile(LocalExecutorProfile.class)
class MlflowSweepTest {

    @Test
    void aTrainerLoggingThroughMlflowAttachesToItsTrialAndDecidesTheObjective() {
        String yaml = "name: mlflow-" + UUID.randomUUID().toString().substring(0, 12) + "\nimage: local\n"
                + "command: [python3, orchestrator/src/test/resources/mlflow/mlflow_trainer.py, '${args}']\n"
                + "method: grid\nqueue: local\nmetric: {name: val_loss, goal: minimize}\n"
                + "parameters:\n  lr: {values: [0.01, 0.03, 0.1]}\n";
        int sweep = RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("id");

        await().atMost(Duration.ofMinutes(4)).until(() -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(
                given().get("/api/v1/sweeps/{id}", sweep).then().extract().<String>path("status")));
        assertThat(given().get("/api/v1/sweeps/{id}", sweep).then().extract().<String>path("status"))
                .isEqualTo("SUCCEEDED");

        JsonPath detail = given().get("/api/v1/sweeps/{id}", sweep).then().statusCode(200).extract().jsonPath();
        assertThat(detail.getDouble("best.value")).isEqualTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(((Number) detail.getMap("best.parameters").get("lr")).doubleValue())
                .isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-6));

        // each trial's MLflow data landed on its own run: experiment = the sweep, param and tag, 5 points
        List<Map<String, Object>> runs = given().get("/api/v1/sweeps/{id}/runs", sweep).then().statusCode(200)
                .extract().jsonPath().getList("items");
        assertThat(runs).hasSize(3);
        for (Map<String, Object> r : runs) {
            long id = ((Number) r.get("id")).longValue();
            JsonPath run = given().queryParam("run_id", id).get("/mlflow/api/2.0/mlflow/runs/get").then()
                    .statusCode(200).extract().jsonPath();
            assertThat(run.getString("run.info.experiment_id")).isEqualTo(String.valueOf(sweep));
            assertThat(run.getString("run.info.status")).isEqualTo("FINISHED");
            assertThat(run.getList("run.data.tags.key", String.class)).contains("trainer");
            assertThat(given().queryParam("run_id", id).queryParam("metric_key", "val_loss")
                    .get("/mlflow/api/2.0/mlflow/metrics/get-history").then().statusCode(200).extract().jsonPath()
                    .getList("metrics")).hasSize(5);
        }
    }
}
