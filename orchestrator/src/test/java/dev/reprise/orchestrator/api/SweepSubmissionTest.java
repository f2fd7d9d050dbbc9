package dev.reprise.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SweepSubmissionTest {

    @Test
    void createsExactlyTwelveRunsForAThreeByFourGrid() {
        int id = Sweeps.submitYaml(Sweeps.renamed(Sweeps.example("digits-grid.yaml")))
                .statusCode(201)
                .header("Location", matchesPattern(".*/api/v1/sweeps/\\d+"))
                .body("method", equalTo("grid"))
                .body("maxTrials", equalTo(12))
                .body("runCounts.total", equalTo(12))
                .body("runCounts.QUEUED", equalTo(12))
                .extract().path("id");

        List<Map<String, Object>> runs = given().queryParam("size", 100).get("/api/v1/sweeps/{id}/runs", id)
                .then().statusCode(200).body("total", equalTo(12))
                .extract().jsonPath().getList("items");
        assertThat(runs).extracting(r -> r.get("index")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        List<List<Object>> combos = runs.stream().map(r -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) r.get("parameters");
            assertThat(p.keySet()).containsExactly("learning_rate", "hidden_units", "epochs");
            return List.of(p.get("learning_rate"), p.get("hidden_units"));
        }).toList();
        assertThat(combos).containsExactly(
                List.of(0.001f, 16), List.of(0.001f, 32), List.of(0.001f, 64), List.of(0.001f, 128),
                List.of(0.01f, 16), List.of(0.01f, 32), List.of(0.01f, 64), List.of(0.01f, 128),
                List.of(0.1f, 16), List.of(0.1f, 32), List.of(0.1f, 64), List.of(0.1f, 128));
    }

    @Test
    void yieldsTheSameTwentyParameterSetsForSeedSevenOnEverySubmission() {
        String yaml = Sweeps.example("digits-random.yaml");
        assertThat(yaml).contains("seed: 7").contains("max_trials: 20");
        List<Object> first = parametersOf(Sweeps.submitYaml(Sweeps.renamed(yaml)).statusCode(201)
                .extract().path("id"));
        List<Object> second = parametersOf(Sweeps.submitYaml(Sweeps.renamed(yaml)).statusCode(201)
                .extract().path("id"));
        assertThat(first).hasSize(20).isEqualTo(second);
        assertThat(first.stream().distinct()).hasSize(20);
    }

    @Test
    void acceptsJsonDocuments() {
        String name = Sweeps.uniqueName();
        String json = "{\"name\":\"" + name + "\",\"image\":\"alpine:3\",\"command\":[\"sh\",\"-c\",\"echo ${args_json}\"],"
                + "\"method\":\"random\",\"max_trials\":3,\"seed\":1,"
                + "\"parameters\":{\"x\":{\"min\":1,\"max\":9}}}";
        given().contentType("application/json").body(json).post("/api/v1/sweeps")
                .then().statusCode(201).body("name", equalTo(name)).body("runCounts.total", equalTo(3));
    }

    @Test
    void keepsTheSubmittedTextAndTheNormalisedSpec() {
        String yaml = Sweeps.renamed(Sweeps.example("digits-grid.yaml"));
        int id = Sweeps.submitYaml(yaml).statusCode(201).extract().path("id");
        given().get("/api/v1/sweeps/{id}", id).then().statusCode(200)
                .body("specText", equalTo(yaml))
                .body("spec.parallelism", equalTo(4))
                .body("spec.queue", equalTo("default"))
                .body("spec.parameters.hidden_units.distribution", equalTo("categorical"))
                .body("specHash", matchesPattern("[0-9a-f]{64}"));
    }

    @Test
    void overridesTheProjectFromTheQueryString() {
        String name = Sweeps.uniqueName();
        Sweeps.given().contentType("application/yaml").queryParam("project", "override-team")
                .body(Sweeps.minimal(name, "")).post("/api/v1/sweeps")
                .then().statusCode(201).body("project", equalTo("override-team"));
        given().queryParam("project", "override-team").get("/api/v1/sweeps")
                .then().statusCode(200).body("items.name", org.hamcrest.Matchers.hasItem(name));
    }

    @Test
    void recordsProvenanceFieldsKnownAtSubmission() {
        String snapshot = DataSnapshots.push("imagenet-subset", "v2", DataSnapshots.uniqueFiles("README"));
        String yaml = Sweeps.renamed(Sweeps.example("gpu-resnet.yaml"));
        int id = Sweeps.submitYaml(yaml).statusCode(201).extract().path("id");
        Map<String, Object> run = given().get("/api/v1/sweeps/{id}/runs", id).then().statusCode(200)
                .extract().jsonPath().getMap("items[0]");
        @SuppressWarnings("unchecked")
        Map<String, Object> provenance = (Map<String, Object>) run.get("provenance");
        // the values examples/gpu-resnet.yaml fixes
        assertThat(provenance.get("imageRef")).isEqualTo("nvcr.io/nvidia/pytorch:24.05-py3");
        assertThat((String) provenance.get("configHash")).matches("[0-9a-f]{64}");
        int index = ((Number) run.get("index")).intValue();
        assertThat(((Number) provenance.get("seed")).longValue()).as("seed 20240501, trial " + index)
                .isEqualTo(dev.reprise.orchestrator.domain.search.TrialConfig.trialSeed(20240501L, index));
        assertThat(provenance.get("gitCommit")).isEqualTo("3f9c2a17e4b8d05c6a1f2e3d4c5b6a7980f1e2d3");
        assertThat(provenance.get("dataSnapshotId")).as("imagenet-subset:v2, resolved at submission")
                .isEqualTo(snapshot);
    }

    private static List<Object> parametersOf(int sweepId) {
        return given().queryParam("size", 100).get("/api/v1/sweeps/{id}/runs", sweepId)
                .then().statusCode(200).extract().jsonPath().getList("items.parameters");
    }
}
