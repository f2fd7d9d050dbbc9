package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SweepCancelTest {

    @Test
    void cancelsEveryQueuedRunAndTheSweep() {
        int id = Sweeps.submitYaml(Sweeps.renamed(Sweeps.example("digits-grid.yaml"))).statusCode(201)
                .extract().path("id");
        given().post("/api/v1/sweeps/{id}/cancel", id).then().statusCode(200)
                .body("status", equalTo("CANCELLED"))
                .body("finishedAt", notNullValue())
                .body("runCounts.CANCELLED", equalTo(12));
        given().queryParam("size", 100).get("/api/v1/sweeps/{id}/runs", id).then()
                .body("items.state", everyItem(equalTo("CANCELLED")))
                .body("items.stopReason", everyItem(equalTo("CANCELLED")));
    }

    @Test
    void refusesToCancelASweepThatAlreadyEnded() {
        int id = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "")).statusCode(201).extract().path("id");
        given().post("/api/v1/sweeps/{id}/cancel", id).then().statusCode(200);
        given().post("/api/v1/sweeps/{id}/cancel", id).then().statusCode(409).contentType(Problem.MEDIA_TYPE)
                .body("detail", equalTo("sweep " + id + " already ended (CANCELLED)"));
    }
}
