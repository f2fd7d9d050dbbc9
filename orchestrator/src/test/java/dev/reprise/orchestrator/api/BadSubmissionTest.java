package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every kind of bad submission gets problem+json naming the field, and leaves the database exactly as it was.
 * Each test uses a project name of its own, so a refused submission that created the project would show up.
 */
@QuarkusTest
class BadSubmissionTest {

    @Inject
    Database database;

    private ValidatableResponse refused(Supplier<ValidatableResponse> request, int status) {
        Database.RowCounts before = database.counts();
        ValidatableResponse response = request.get()
                .statusCode(status)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(status))
                .body("type", startsWith("https://reprise.dev/problems/"))
                .body("instance", equalTo("/api/v1/sweeps"));
        assertThat(database.counts()).as("rows after a refused submission").isEqualTo(before);
        return response;
    }

    private ValidatableResponse refusedYaml(String yaml, int status) {
        return refused(() -> Sweeps.submitYaml(yaml), status);
    }

    private static String sweep(String extra) {
        return Sweeps.minimal(Sweeps.uniqueName(), "project: " + Sweeps.uniqueName() + "\n" + extra);
    }

    @Test
    void rejectsMalformedYaml() {
        refusedYaml("name: [unclosed\nimage: x\n", 400)
                .body("title", equalTo("Malformed document"))
                .body("detail", startsWith("malformed yaml"));
    }

    @Test
    void rejectsMalformedJson() {
        refused(() -> given().contentType("application/json").body("{\"name\": ").post("/api/v1/sweeps").then(), 400)
                .body("detail", startsWith("malformed json"));
    }

    @Test
    void rejectsUnknownFieldsNamingThem() {
        refusedYaml(sweep("entity: my-team\n"), 422)
                .body("errors.field", hasItem("entity"))
                .body("errors.message", hasItem("unknown field"));
    }

    @Test
    void rejectsWrongTypes() {
        refusedYaml(sweep("max_failed_trials: many\n"), 422)
                .body("errors[0].field", equalTo("max_failed_trials"))
                .body("errors[0].message", equalTo("must be an integer"));
    }

    @Test
    void rejectsMinGreaterThanMax() {
        refusedYaml(sweep("").replace("lr:\n    values: [0.1, 0.01]", "lr: {min: 5.0, max: 1.0}")
                .replace("method: grid", "method: random") + "max_trials: 4\n", 422)
                .body("title", equalTo("Invalid sweep"))
                .body("errors[0].field", equalTo("parameters.lr.min"));
    }

    @Test
    void rejectsEmptyValueLists() {
        refusedYaml(sweep("").replace("values: [0.1, 0.01]", "values: []"), 422)
                .body("errors[0].field", equalTo("parameters.lr.values"));
    }

    @Test
    void rejectsAGridLargerThanMaxTrials() {
        refusedYaml(sweep("max_trials: 1\n"), 422)
                .body("errors[0].field", equalTo("max_trials"))
                .body("errors[0].message", containsString("2 combinations"));
    }

    @Test
    void rejectsAGridLargerThanTheHardCap() {
        refusedYaml(sweep("").replace("lr:\n    values: [0.1, 0.01]", "a: {min: 1, max: 1000}\n  b: {min: 1, max: 1000}"),
                422)
                .body("errors[0].field", equalTo("max_trials"))
                .body("errors[0].message", containsString("limit of 10000"));
    }

    @Test
    void rejectsParallelismBelowOne() {
        refusedYaml(sweep("parallelism: 0\n"), 422).body("errors[0].field", equalTo("parallelism"));
    }

    @Test
    @Timeout(20)
    void rejectsAYamlAliasBomb() {
        refusedYaml(SweepDocumentReaderTest.billionLaughs(), 400).body("detail", containsString("alias"));
    }

    @Test
    @Timeout(20)
    void rejectsNestingDeeperThanTheLimit() {
        refusedYaml(SweepDocumentReaderTest.deeplyNested(500), 400).body("title", equalTo("Malformed document"));
    }

    @Test
    @Timeout(20)
    void rejectsBodiesOverTheSizeLimitWith413() {
        String huge = sweep("description: \"" + "x".repeat(1_100_000) + "\"\n");
        refused(() -> Sweeps.submitYaml(huge), 413).body("title", equalTo("Payload too large"));
    }

    @Test
    void rejectsAnUnsupportedMediaType() {
        refused(() -> Sweeps.given().contentType("text/plain").body(sweep("")).post("/api/v1/sweeps").then(), 415);
    }

    @Test
    void rejectsADuplicateNameInTheSameProjectWith409() {
        String yaml = sweep("");
        Sweeps.submitYaml(yaml).statusCode(201);
        refusedYaml(yaml, 409).body("errors[0].field", equalTo("name"));
    }

    @Test
    void rejectsAnEmptyBody() {
        refused(() -> Sweeps.given().contentType("application/yaml").post("/api/v1/sweeps").then(), 400);
    }

    @Test
    void reportsEveryProblemOfADocumentAtOnce() {
        refusedYaml("name: Bad_Name\nimage: 'has space'\nmethod: annealing\nparameters: {}\n", 422)
                .body("errors.field", org.hamcrest.Matchers.hasItems("name", "image", "method", "parameters",
                        "command"));
    }
}
