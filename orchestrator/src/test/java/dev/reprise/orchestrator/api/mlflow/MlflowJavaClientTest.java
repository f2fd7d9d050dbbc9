package dev.reprise.orchestrator.api.mlflow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.security.TestCredentials;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * MLflow's own Java client (org.mlflow:mlflow-client 2.17.2) against the orchestrator's MLflow API, then the same
 * run read through Reprise's own API.
 */
@QuarkusTest
class MlflowJavaClientTest {

    static final int POINTS = 10_000;

    @TestHTTPResource("/mlflow")
    URL trackingUri;

    MlflowClient client() {
        return new MlflowClient(new BasicMlflowHostCreds(trackingUri.toString(), TestCredentials.ADMIN_TOKEN));
    }

    @Test
    void mlflowsJavaClientLogsTenThousandPointsThatReadBackThroughMlflowAndThroughReprise() {
        try (MlflowClient mlflow = client()) {
            String experimentId = mlflow.createExperiment("java-client-" + UUID.randomUUID());
            assertThat(mlflow.getExperiment(experimentId).getLifecycleStage()).isEqualTo("active");

            long start = System.currentTimeMillis();
            Service.RunInfo info = mlflow.createRun(Service.CreateRun.newBuilder().setExperimentId(experimentId)
                    .setRunName("java-client").setStartTime(start).build());
            String runId = info.getRunId();
            assertThat(info.getStatus()).isEqualTo(Service.RunStatus.RUNNING);

            mlflow.logParam(runId, "learning_rate", "0.01");
            mlflow.setTag(runId, "team", "tracking");
            mlflow.logBatch(runId, List.of(), List.of(Service.Param.newBuilder().setKey("epochs").setValue("10")
                    .build()), List.of(Service.RunTag.newBuilder().setKey("stage").setValue("test").build()));
            List<Service.Metric> batch = new ArrayList<>();
            for (int step = 0; step < POINTS; step++) {
                batch.add(Service.Metric.newBuilder().setKey("loss").setValue(step * 0.5).setTimestamp(start + step)
                        .setStep(step).build());
                if (batch.size() == 1000) {
                    mlflow.logBatch(runId, batch, List.of(), List.of());
                    batch.clear();
                }
            }

            List<Service.Metric> history = mlflow.getMetricHistory(runId, "loss");
            assertThat(history).hasSize(POINTS);
            assertThat(history).allSatisfy(m -> {
                assertThat(m.getValue()).isEqualTo(m.getStep() * 0.5);
                assertThat(m.getTimestamp()).isEqualTo(start + m.getStep());
            });
            assertThat(history.stream().map(Service.Metric::getStep).collect(Collectors.toSet())).hasSize(POINTS);

            assertThat(mlflow.searchRuns(List.of(experimentId), "metrics.loss > 4000 and params.epochs = '10'"))
                    .extracting(Service.RunInfo::getRunId).containsExactly(runId);
            assertThat(mlflow.searchRuns(List.of(experimentId), "metrics.loss < 4000")).isEmpty();

            mlflow.setTerminated(runId, Service.RunStatus.FINISHED, start + POINTS);
            Service.Run run = mlflow.getRun(runId);
            assertThat(run.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
            assertThat(run.getInfo().getEndTime()).isEqualTo(start + POINTS);
            assertThat(run.getData().getParamsList().stream().collect(Collectors.toMap(Service.Param::getKey,
                    Service.Param::getValue))).containsEntry("learning_rate", "0.01").containsEntry("epochs", "10");
            assertThat(run.getData().getTagsList().stream().collect(Collectors.toMap(Service.RunTag::getKey,
                    Service.RunTag::getValue))).containsEntry("team", "tracking");
            assertThat(run.getData().getMetricsList()).singleElement()
                    .satisfies(m -> assertThat(m.getValue()).isEqualTo((POINTS - 1) * 0.5));

            // the same run through Reprise's own API
            given().get("/api/v1/runs/{id}", runId).then().statusCode(200)
                    .body("state", org.hamcrest.Matchers.equalTo("SUCCEEDED"))
                    .body("sweepId", org.hamcrest.Matchers.equalTo(Integer.parseInt(experimentId)));
            JsonPath series = given().queryParam("max_points", 100_000).get("/api/v1/runs/{id}/metrics/loss", runId)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(series.getLong("total")).isEqualTo(POINTS);
            List<Map<String, Object>> points = series.getList("points");
            assertThat(points).hasSize(POINTS);
            for (Map<String, Object> p : points) {
                long step = ((Number) p.get("step")).longValue();
                assertThat(((Number) p.get("value")).doubleValue()).isEqualTo(step * 0.5);
            }
        }
    }
}
