package dev.reprise.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.reprise.orchestrator.security.TestCredentials;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An agent's run token fetches its own run's data snapshot (REPRISE_DATA_URL) and nothing else. */
@QuarkusTest
class RunTokenSnapshotTest {

    @Test
    void aRunTokenDownloadsOnlyTheSnapshotOfItsRun() {
        Map<String, String> files = DataSnapshots.uniqueFiles("train.csv");
        String name = DataSnapshots.uniqueName();
        String id = DataSnapshots.push(name, "latest", files);
        String other = DataSnapshots.push(DataSnapshots.uniqueName(), "latest",
                DataSnapshots.uniqueFiles("other.csv"));
        int sweep = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "data:\n  snapshot: " + name + "\n"))
                .statusCode(201).extract().path("id");
        long run = given().get("/api/v1/sweeps/{id}/runs", sweep).then().statusCode(200).extract().jsonPath()
                .getLong("items[0].id");
        String bearer = "Bearer " + TestCredentials.runToken(run, 0);

        given().header("Authorization", bearer).get("/api/v1/snapshots/" + id + "/download").then().statusCode(200)
                .body("id", equalTo(id));
        given().header("Authorization", bearer).get("/api/v1/snapshots/" + other + "/download").then()
                .statusCode(403);
        given().header("Authorization", bearer).get("/api/v1/snapshots/" + name + "/download").then()
                .statusCode(403); // only by the id the run was frozen to
        given().header("Authorization", bearer).get("/api/v1/snapshots/" + id).then().statusCode(403);
    }
}
