package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sweep's data.snapshot is resolved to an immutable id when it is submitted, and frozen in its runs. */
@QuarkusTest
class SnapshotSubmissionTest {

    @Inject
    Database database;

    @Test
    void freezesTheIdTheNamePointsAtWhenTheSweepIsSubmitted() {
        String name = DataSnapshots.uniqueName();
        String v1 = DataSnapshots.push(name, null, DataSnapshots.uniqueFiles("train.csv"));
        int sweep = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "data:\n  snapshot: " + name + "\n"))
                .statusCode(201).extract().path("id");

        String v2 = DataSnapshots.push(name, null, DataSnapshots.uniqueFiles("train.csv"));

        assertThat(v2).isNotEqualTo(v1);
        List<String> frozen = given().get("/api/v1/sweeps/{id}/runs", sweep).then().statusCode(200)
                .extract().jsonPath().getList("items.provenance.dataSnapshotId");
        assertThat(frozen).hasSize(2).containsOnly(v1);
    }

    @Test
    void acceptsATaggedNameAndAnIdAsTheReference() {
        String name = DataSnapshots.uniqueName();
        String id = DataSnapshots.push(name, "v3", DataSnapshots.uniqueFiles("x"));

        int byTag = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "data:\n  snapshot: '" + name + ":v3'\n"))
                .statusCode(201).extract().path("id");
        int byId = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "data:\n  snapshot: '" + id + "'\n"))
                .statusCode(201).extract().path("id");

        given().get("/api/v1/sweeps/{id}/runs", byTag).then().body("items[0].provenance.dataSnapshotId", equalTo(id));
        given().get("/api/v1/sweeps/{id}/runs", byId).then().body("items[0].provenance.dataSnapshotId", equalTo(id));
    }

    @Test
    void refusesASweepWhoseSnapshotDoesNotExistAndStoresNothing() {
        Database.RowCounts before = database.counts();

        Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "data:\n  snapshot: " + DataSnapshots.uniqueName()
                        + ":v9\n"))
                .statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("data.snapshot"))
                .body("errors[0].message", org.hamcrest.Matchers.startsWith("no snapshot 't-"));
        Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "data:\n  snapshot: 'sha256:" + "e".repeat(64) + "'\n"))
                .statusCode(422).body("errors[0].field", equalTo("data.snapshot"));

        assertThat(database.counts().sweeps()).isEqualTo(before.sweeps());
    }
}
