package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SweepQueryTest {

    @Test
    void pagesSweepsNewestFirstAndFiltersByProjectAndStatus() {
        String project = Sweeps.uniqueName();
        for (int i = 0; i < 3; i++) {
            Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "project: " + project + "\n")).statusCode(201);
        }
        int newest = given().queryParam("project", project).queryParam("size", 1).get("/api/v1/sweeps")
                .then().statusCode(200).body("total", equalTo(3)).body("items", hasSize(1))
                .body("size", equalTo(1)).extract().path("items[0].id");
        given().queryParam("project", project).queryParam("page", 2).queryParam("size", 1).get("/api/v1/sweeps")
                .then().statusCode(200).body("items[0].id", lessThanOrEqualTo(newest));
        given().queryParam("project", project).queryParam("status", "queued").get("/api/v1/sweeps")
                .then().statusCode(200).body("total", equalTo(3)).body("items.status", everyItem(equalTo("QUEUED")));
        given().queryParam("project", project).queryParam("status", "RUNNING").get("/api/v1/sweeps")
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void sortsRunsByIndexDescending() {
        int id = Sweeps.submitYaml(Sweeps.renamed(Sweeps.example("digits-grid.yaml"))).statusCode(201)
                .extract().path("id");
        given().queryParam("sort", "-index").queryParam("size", 5).get("/api/v1/sweeps/{id}/runs", id)
                .then().statusCode(200).body("items.index", org.hamcrest.Matchers.contains(11, 10, 9, 8, 7))
                .body("total", equalTo(12));
    }

    @Test
    void showsOneRun() {
        int sweep = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "")).statusCode(201).extract().path("id");
        int run = given().get("/api/v1/sweeps/{id}/runs", sweep).then().extract().path("items[1].id");
        given().get("/api/v1/runs/{id}", run).then().statusCode(200)
                .body("sweepId", equalTo(sweep)).body("index", equalTo(1)).body("state", equalTo("QUEUED"))
                .body("parameters.lr", equalTo(0.01f));
    }

    @Test
    void answersBadPagingAndSortingWithTheParameterName() {
        given().queryParam("size", 0).get("/api/v1/sweeps").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("errors[0].field", equalTo("size"));
        given().queryParam("status", "nope").get("/api/v1/sweeps").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        int sweep = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "")).statusCode(201).extract().path("id");
        given().queryParam("sort", "parameters").get("/api/v1/sweeps/{id}/runs", sweep).then().statusCode(400)
                .body("errors[0].field", equalTo("sort"));
    }

    @Test
    void answersMissingThingsWith404ProblemDetails() {
        given().get("/api/v1/sweeps/999999999").then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("detail", equalTo("sweep 999999999 does not exist"));
        given().get("/api/v1/runs/999999999").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given().get("/api/v1/sweeps/999999999/runs").then().statusCode(404);
        given().post("/api/v1/sweeps/999999999/cancel").then().statusCode(404);
    }
}
