package dev.reprise.orchestrator.api.mlflow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.reprise.orchestrator.security.TestCredentials;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** MLflow's artifact proxy: files of a run's artifact_uri go to the object store and come back byte for byte. */
@QuarkusTest
class MlflowArtifactTest {

    static final String ARTIFACTS = "/mlflow/api/2.0/mlflow-artifacts/artifacts/";

    @Test
    void filesUploadedThroughTheProxyListAndDownloadAndARunTokenTouchesOnlyItsRun() {
        String experiment = MlflowBadInputTest.experiment();
        String run = MlflowBadInputTest.run(experiment);
        String other = MlflowBadInputTest.run(experiment);
        String uri = given().queryParam("run_id", run).get("/mlflow/api/2.0/mlflow/runs/get").then().statusCode(200)
                .extract().path("run.info.artifact_uri");
        assertThat(uri).isEqualTo("mlflow-artifacts:/" + experiment + "/" + run + "/artifacts");
        String root = experiment + "/" + run + "/artifacts";
        String marker = UUID.randomUUID().toString();
        String token = TestCredentials.runToken(Long.parseLong(run), 0);

        given().header("Authorization", "Bearer " + token).contentType("application/octet-stream")
                .body(marker.getBytes(StandardCharsets.UTF_8)).put(ARTIFACTS + root + "/model/weights.bin")
                .then().statusCode(200);
        given().contentType("application/octet-stream").body("{}".getBytes(StandardCharsets.UTF_8))
                .put(ARTIFACTS + root + "/summary.json").then().statusCode(200);

        JsonPath listing = given().queryParam("path", root).get(ARTIFACTS.substring(0, ARTIFACTS.length() - 1))
                .then().statusCode(200).extract().jsonPath();
        assertThat(listing.getList("files", Map.class)).extracting(f -> f.get("path"), f -> f.get("is_dir"))
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("model", true),
                        org.assertj.core.groups.Tuple.tuple("summary.json", false));
        byte[] back = given().header("Authorization", "Bearer " + token).get(ARTIFACTS + root + "/model/weights.bin")
                .then().statusCode(200).extract().asByteArray();
        assertThat(new String(back, StandardCharsets.UTF_8)).isEqualTo(marker);

        String otherRoot = experiment + "/" + other + "/artifacts";
        given().header("Authorization", "Bearer " + token).contentType("application/octet-stream")
                .body(new byte[] {1}).put(ARTIFACTS + otherRoot + "/x.bin").then().statusCode(403)
                .body("error_code", equalTo("PERMISSION_DENIED"));
        given().get(ARTIFACTS + otherRoot + "/x.bin").then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        given().contentType("application/octet-stream").body(new byte[] {1})
                .put(ARTIFACTS + experiment + "/" + run + "/elsewhere/x.bin").then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        given().contentType("application/octet-stream").body(new byte[] {1})
                .put(ARTIFACTS + "999999/" + run + "/artifacts/x.bin").then().statusCode(404);
    }
}
