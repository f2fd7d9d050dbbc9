package dev.reprise.orchestrator.scheduling;

import static dev.reprise.orchestrator.scheduling.SchedulingTest.submit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Sweep submissions and control requests that cannot work are refused with problem+json naming the field. */
@QuarkusTest
class SweepControlRefusalsTest {

    private static io.restassured.response.ValidatableResponse post(String yaml) {
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps").then();
    }

    private static String sweep(String body) {
        return "name: " + SchedulingTest.newName() + "\nimage: x\nprogram: t.py\nparameters:\n"
                + "  lr: {min: 0.0, max: 1.0}\n" + body;
    }

    @Test
    void refusesAnUnknownSearchMethod() {
        post(sweep("method: hyperopt\nmax_trials: 3\nmetric: {name: loss}\n")).statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://reprise.dev/problems/invalid-sweep"))
                .body("errors[0].field", equalTo("method"))
                .body("errors[0].message", equalTo("must be grid, random, sobol or bayes"));
    }

    @Test
    void refusesEarlyTerminationThatCannotJudgeTheMetric() {
        // no metric to compare
        post(sweep("method: bayes\nmax_trials: 3\nearly_terminate: {type: median}\n")).statusCode(422)
                .body("errors.field", org.hamcrest.Matchers.hasItem("early_terminate"));
        // a goal that says neither which way is better
        post(sweep("method: random\nmax_trials: 3\nmetric: {name: acc, goal: higher}\n"
                + "early_terminate: {type: median, min_iter: 2}\n")).statusCode(422)
                .body("errors[0].field", equalTo("metric.goal"));
        // a first rung before the first step
        post(sweep("method: random\nmax_trials: 3\nmetric: {name: loss}\n"
                + "early_terminate: {type: hyperband, min_iter: 0, max_iter: 9}\n")).statusCode(422)
                .body("errors[0].field", equalTo("early_terminate.min_iter"));
        // rungs that end before they start
        post(sweep("method: random\nmax_trials: 3\nmetric: {name: loss}\n"
                + "early_terminate: {type: hyperband, min_iter: 9, max_iter: 3}\n")).statusCode(422)
                .body("errors[0].field", equalTo("early_terminate.max_iter"));
    }

    @Test
    void refusesToExtendOrPauseACancelledSweep() {
        int id = submit("", 3, 1);
        given().post("/api/v1/sweeps/{id}/cancel", id).then().statusCode(200);
        given().contentType("application/json").body("{\"max_trials\": 5}").post("/api/v1/sweeps/{id}/extend", id)
                .then().statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("status"));
        given().post("/api/v1/sweeps/{id}/pause", id).then().statusCode(409)
                .body("errors[0].field", equalTo("status"))
                .body("detail", startsWith("cannot pause sweep " + id + ": it already ended"));
        given().post("/api/v1/sweeps/{id}/resume", id).then().statusCode(409)
                .body("errors[0].field", equalTo("status"));
    }

    @Test
    void refusesAnExtensionThatIsNotANumberAboveTheCurrentCount() {
        int id = submit("", 3, 1);
        given().contentType("application/json").body("{\"max_trials\": -1}").post("/api/v1/sweeps/{id}/extend", id)
                .then().statusCode(422).body("errors[0].field", equalTo("max_trials"));
        given().contentType("application/json").body("{\"max_trials\": \"ten\"}")
                .post("/api/v1/sweeps/{id}/extend", id).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("max_trials"));
        given().contentType("application/json").body("{\"max_trials\": ").post("/api/v1/sweeps/{id}/extend", id)
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType("application/json").body("{\"max_trials\": 5}").post("/api/v1/sweeps/{id}/extend", 987654321)
                .then().statusCode(404).contentType("application/problem+json");
        given().get("/api/v1/sweeps/{id}", id).then().body("maxTrials", equalTo(3));
    }
}
