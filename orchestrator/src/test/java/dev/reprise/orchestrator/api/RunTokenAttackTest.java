package dev.reprise.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.reprise.orchestrator.security.TestCredentials;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Run tokens as the attacker holds them (issue #22): a finished run's token replacing that run's artifacts minutes
 * later, and a run naming another project's blob by its sha256 in its artifact manifest to read it back.
 */
@QuarkusTest
class RunTokenAttackTest {

    @Inject
    AgroalDataSource dataSource;

    private long newRun() {
        int sweep = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "")).statusCode(201).extract().path("id");
        return given().get("/api/v1/sweeps/{id}/runs", sweep).then().statusCode(200).extract().jsonPath()
                .getLong("items[0].id");
    }

    private void update(long run, String set) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("update runs set " + set + " where id = " + run)).isEqualTo(1);
        }
    }

    private static io.restassured.response.ValidatableResponse plan(long run, String bearer, Map<String, String> files) {
        return given().header("Authorization", bearer).contentType(ContentType.JSON)
                .body(DataSnapshots.blobsJson(files)).post("/api/v1/runs/{id}/attempts/0/artifacts/uploads", run)
                .then();
    }

    private static io.restassured.response.ValidatableResponse commit(long run, String bearer,
            Map<String, String> files) {
        return given().header("Authorization", bearer).contentType(ContentType.JSON)
                .body("{\"manifest\":{\"entries\":" + DataSnapshots.entriesJson(files) + "}}")
                .post("/api/v1/runs/{id}/attempts/0/artifacts", run).then();
    }

    @Test
    void aFinishedRunsTokenCannotUploadOrCommitArtifactsAfterTheGrace() throws SQLException {
        long run = newRun();
        String bearer = "Bearer " + TestCredentials.runToken(run, 0);
        Map<String, String> files = DataSnapshots.uniqueFiles("model.txt");
        update(run, "state = 'SUCCEEDED', launched_at = now() - interval '1 hour', "
                + "finished_at = now() - interval '10 minutes'");

        plan(run, bearer, files).statusCode(401);
        commit(run, bearer, files).statusCode(401);
    }

    @Test
    void aFinishedRunsTokenStillUploadsWithinTheGrace() throws SQLException {
        long run = newRun();
        String bearer = "Bearer " + TestCredentials.runToken(run, 0);
        Map<String, String> files = DataSnapshots.uniqueFiles("model.txt");
        update(run, "state = 'SUCCEEDED', launched_at = now() - interval '1 minute', finished_at = now()");

        DataSnapshots.uploadMissing(plan(run, bearer, files).statusCode(200).extract().jsonPath(), files);
        commit(run, bearer, files).statusCode(200).body("fileCount", equalTo(1));
    }

    @Test
    void theTokenOfAnEarlierAttemptIsRefusedOnceTheRunRetried() throws SQLException {
        long run = newRun();
        update(run, "attempt = 1");

        plan(run, "Bearer " + TestCredentials.runToken(run, 0), DataSnapshots.uniqueFiles("x")).statusCode(401);
    }

    @Test
    void aManifestNamingAnotherProjectsBlobIsRefusedAndTheBlobMustBeUploaded() throws SQLException {
        Map<String, String> victim = DataSnapshots.uniqueFiles("secret.csv");
        DataSnapshots.push(DataSnapshots.uniqueName(), "latest", victim);
        long run = newRun();
        // the attacker's run starts after the victim's blob was written (as in the probe: it learnt the hash later)
        update(run, "state = 'RUNNING', launched_at = now() + interval '1 minute'");
        String bearer = "Bearer " + TestCredentials.runToken(run, 0);
        String sha = DataSnapshots.sha(victim.get("secret.csv"));

        JsonPath plan = plan(run, bearer, victim).statusCode(200).extract().jsonPath();
        assertThat(plan.getList("missing.sha256", String.class)).as("a blob the run cannot show it owns")
                .contains(sha);
        commit(run, bearer, victim).statusCode(422)
                .body("errors.field", hasItem("manifest.entries[0].sha256"));
        given().queryParam("target", "run:" + run + "/0").get("/api/v1/audit").then().statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void anArtifactCommitIsAudited() throws SQLException {
        long run = newRun();
        update(run, "state = 'RUNNING', launched_at = now() - interval '1 minute'");
        String bearer = "Bearer " + TestCredentials.runToken(run, 0);
        Map<String, String> files = DataSnapshots.uniqueFiles("model.txt");
        DataSnapshots.uploadMissing(plan(run, bearer, files).statusCode(200).extract().jsonPath(), files);
        commit(run, bearer, files).statusCode(200);

        List<Map<String, Object>> entries = given().queryParam("action", "artifact.commit").queryParam("target", "run:" + run + "/0")
                .get("/api/v1/audit").then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(entries).anySatisfy(e -> {
            assertThat(e).containsEntry("target", "run:" + run + "/0").containsEntry("actorKind", "run");
            assertThat(String.valueOf(e.get("detail"))).contains("sha256:");
        });
    }
}
