package dev.reprise.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints the orchestrator must not record: over the run's size cap (refused before anything is uploaded),
 * without the COMPLETE marker, with a blob that is not in the store; and no checkpoint to restore is a 404.
 */
@QuarkusTest
class CheckpointRefusalsTest {

    private long run;

    @BeforeEach
    void aRun() {
        String yaml = "name: ck-" + UUID.randomUUID().toString().substring(0, 8) + "\nimage: x\nprogram: t.py\n"
                + "method: grid\nqueue: lifecycle\nparameters:\n  i: {value: 1}\n";
        int sweep = given().contentType("application/yaml").body(yaml.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/sweeps").then().statusCode(201).extract().path("id");
        run = ((Number) given().get("/api/v1/sweeps/{id}/runs", sweep).then().statusCode(200).extract()
                .path("items[0].id")).longValue();
    }

    private static String blob(int i) {
        return "{\"sha256\": \"" + String.format("%064x", i + 1) + "\", \"size\": " + (5L << 30) + "}";
    }

    @Test
    void aCheckpointOverTheRunsCapIsRefusedBeforeItIsUploaded() {
        // five blobs of 5 GiB: 25 GiB, over the default cap of 20G
        StringBuilder blobs = new StringBuilder("{\"blobs\": [");
        for (int i = 0; i < 5; i++) {
            blobs.append(i == 0 ? "" : ", ").append(blob(i));
        }
        given().contentType("application/json").body(blobs.append("]}").toString())
                .post("/api/v1/runs/{id}/attempts/0/checkpoints/7/uploads", run).then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("blobs"))
                .body("errors[0].message", containsString("reprise.checkpoints.max-run-size"))
                .body("errors[0].message", containsString("checkpoint step-7"));
    }

    @Test
    void aCheckpointWithoutItsCompleteMarkerOrWithAMissingBlobIsNotRecorded() {
        String missing = "b".repeat(64);
        given().contentType("application/json").body("{\"manifest\": {\"entries\": [{\"path\": \"model.bin\", "
                        + "\"size\": 3, \"sha256\": \"" + missing + "\", \"mode\": 420}]}}")
                .post("/api/v1/runs/{id}/attempts/0/checkpoints/3", run).then().statusCode(422)
                .body("errors[0].field", equalTo("manifest.entries"))
                .body("errors[0].message", containsString("COMPLETE"));
        given().contentType("application/json").body("{\"manifest\": {\"entries\": [{\"path\": \"COMPLETE\", "
                        + "\"size\": 3, \"sha256\": \"" + missing + "\", \"mode\": 420}]}}")
                .post("/api/v1/runs/{id}/attempts/0/checkpoints/3", run).then().statusCode(422);

        given().get("/api/v1/runs/{id}/checkpoints", run).then().statusCode(200).body("size()", equalTo(0));
        given().get("/api/v1/runs/{id}/attempts/0/checkpoints/latest", run).then().statusCode(404);
    }

    @Test
    void anAttemptTheRunNeverHadIsAConflict() {
        given().get("/api/v1/runs/{id}/attempts/5/checkpoints/latest", run).then().statusCode(409)
                .body("errors[0].field", equalTo("attempt"));
    }
}
