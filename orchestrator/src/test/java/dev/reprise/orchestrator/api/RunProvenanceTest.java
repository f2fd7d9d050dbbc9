package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import dev.reprise.orchestrator.persistence.CanonicalJson;
import dev.reprise.orchestrator.execution.TrialObservation;
import dev.reprise.orchestrator.scheduling.RunLifecycle;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every run carries a complete provenance record from creation; nobody can change it after. */
@QuarkusTest
class RunProvenanceTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RunLifecycle lifecycle;

    private static long firstRun(int sweepId) {
        return ((Number) given().get("/api/v1/sweeps/{id}/runs", sweepId).then().statusCode(200).extract()
                .path("items[0].id")).longValue();
    }

    private static JsonPath provenance(long runId) {
        return given().get("/api/v1/runs/{id}/provenance", runId).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void recordsTheSubmittedTextParametersRedactedEnvironmentDataAndClientGit() {
        String snapshot = DataSnapshots.push(DataSnapshots.uniqueName(), null, DataSnapshots.uniqueFiles("a.csv"));
        String yaml = Sweeps.minimal(Sweeps.uniqueName(), "env:\n  MODE: fast\n  HF_TOKEN: hf_abc\n"
                + "  DB_URL: 'postgres://u:hunter2@db/x'\ndata:\n  snapshot: " + snapshot + "\n  mount_path: /in\n");
        int sweep = Sweeps.given().contentType("application/yaml").body(yaml)
                .queryParam("gitRepo", "https://github.com/acme/train").queryParam("gitCommit", "0123abc")
                .queryParam("gitDirty", true).post("/api/v1/sweeps").then().statusCode(201).extract().path("id");
        long run = firstRun(sweep);

        JsonPath p = provenance(run);

        assertThat(p.getString("spec.text")).as("the submitted text with its secret values hidden")
                .isEqualTo(yaml.replace("hf_abc", "\"[redacted]\"").replace("'postgres://u:hunter2@db/x'",
                        "'[redacted]'"))
                .doesNotContain("hf_abc", "hunter2");
        assertThat(p.getString("spec.sha256")).as("of the text as submitted").isEqualTo(CanonicalJson.sha256(yaml));
        assertThat(p.getString("spec.format")).isEqualTo("yaml");
        assertThat(p.getMap("parameters")).containsEntry("lr", 0.1f);
        assertThat(p.getList("command", String.class)).containsExactly("python", "train.py", "--lr=0.1");
        assertThat(p.getMap("env")).containsExactly(Map.entry("MODE", "fast"), Map.entry("HF_TOKEN", "[redacted]"),
                Map.entry("DB_URL", "[redacted]"));
        assertThat(p.getString("image.ref")).isEqualTo("python:3.12-slim");
        assertThat(p.getString("image.digest")).isNull();
        assertThat(p.getString("image.executor")).isEqualTo("testing");
        assertThat(p.getString("data.snapshotId")).isEqualTo(snapshot);
        assertThat(p.getString("data.mountPath")).isEqualTo("/in");
        assertThat(p.getString("git.repo")).isEqualTo("https://github.com/acme/train");
        assertThat(p.getString("git.commit")).isEqualTo("0123abc");
        assertThat(p.getBoolean("git.dirty")).isTrue();
        assertThat(p.getLong("seed")).isEqualTo(given().get("/api/v1/runs/{id}", run).then().extract().jsonPath()
                .getLong("provenance.seed"));
        assertThat(p.getString("configHash")).matches("[0-9a-f]{64}");
        assertThat(p.getString("recordedAt")).isNotNull();
    }

    @Test
    void secretEnvValuesNeverComeBackFromTheSweepOrProvenanceViews() {
        String token = "hf_" + "Q".repeat(34);
        String password = "correct-horse-battery";
        String yaml = Sweeps.minimal(Sweeps.uniqueName(), "env:\n  MODE: fast\n  HF_TOKEN: " + token
                + "\n  DB_PASSWORD: \"" + password + "\"\n  SOME_URL: https://model.example/" + token + "\n");
        int sweep = Sweeps.given().contentType("application/yaml").body(yaml).post("/api/v1/sweeps").then()
                .statusCode(201).extract().path("id");
        String json = "{\"name\": \"" + Sweeps.uniqueName() + "\", \"image\": \"python:3.12-slim\", "
                + "\"program\": \"train.py\", \"method\": \"grid\", \"parameters\": {\"lr\": {\"values\": [0.1]}}, "
                + "\"env\": {\"API_TOKEN\": \"" + password + "\\\"x\"}}";
        int jsonSweep = Sweeps.given().contentType("application/json").body(json).post("/api/v1/sweeps").then()
                .statusCode(201).extract().path("id");

        for (int id : new int[] {sweep, jsonSweep}) {
            String view = given().get("/api/v1/sweeps/{id}", id).then().statusCode(200).extract().asString();
            String provenance = given().get("/api/v1/runs/{id}/provenance", firstRun(id)).then().statusCode(200)
                    .extract().asString();
            for (String answer : new String[] {view, provenance}) {
                assertThat(answer).doesNotContain(token, password, "QQQQQQQQ").contains("[redacted]");
            }
        }
        JsonPath view = given().get("/api/v1/sweeps/{id}", sweep).then().extract().jsonPath();
        assertThat(view.getMap("spec.env")).containsEntry("MODE", "fast").containsEntry("HF_TOKEN", "[redacted]")
                .containsEntry("DB_PASSWORD", "[redacted]");
        assertThat(view.getString("specText")).contains("MODE: fast", "HF_TOKEN: \"[redacted]\"",
                "DB_PASSWORD: \"[redacted]\"");
    }

    @Test
    void theDocumentsOwnGitWinsOverTheClientsAndABadClientCommitIsRefusedWithItsField() {
        String yaml = Sweeps.minimal(Sweeps.uniqueName(), "git:\n  commit: abcdef1\n");
        int sweep = Sweeps.given().contentType("application/yaml").body(yaml).queryParam("gitCommit", "1234567")
                .post("/api/v1/sweeps").then().statusCode(201).extract().path("id");
        assertThat(provenance(firstRun(sweep)).getString("git.commit")).isEqualTo("abcdef1");

        Sweeps.given().contentType("application/yaml").body(Sweeps.minimal(Sweeps.uniqueName(), ""))
                .queryParam("gitCommit", "not-a-commit").post("/api/v1/sweeps").then().statusCode(422)
                .contentType(Problem.MEDIA_TYPE).body("errors[0].field", equalTo("git.commit"));
    }

    @Test
    void theConfigHashFollowsTheResolvedSnapshotIdNotItsName() {
        String name = DataSnapshots.uniqueName();
        DataSnapshots.push(name, null, DataSnapshots.uniqueFiles("a.csv"));
        String extra = "seed: 7\ndata:\n  snapshot: " + name + "\n";
        long first = firstRun(Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), extra)).statusCode(201)
                .extract().path("id"));
        long same = firstRun(Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), extra)).statusCode(201)
                .extract().path("id"));
        DataSnapshots.push(name, null, DataSnapshots.uniqueFiles("a.csv"));
        long moved = firstRun(Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), extra)).statusCode(201)
                .extract().path("id"));

        assertThat(provenance(same).getString("configHash")).isEqualTo(provenance(first).getString("configHash"));
        assertThat(provenance(moved).getString("configHash")).isNotEqualTo(provenance(first).getString("configHash"));
    }

    @Test
    void theDatabaseRefusesToChangeARecordedProvenance() throws SQLException {
        long run = firstRun(Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "")).statusCode(201)
                .extract().path("id"));

        for (String change : new String[] {"image_ref = 'other:1'", "seed = seed + 1", "config_hash = repeat('0', 64)",
                "data_snapshot_id = 'sha256:" + "0".repeat(64) + "'", "env = '{\"A\": \"1\"}'::jsonb", "parameters = '{}'::jsonb",
                "git_commit = 'abcdef1'", "provenance_recorded_at = null"}) {
            assertThatThrownBy(() -> update(run, change)).as(change).isInstanceOf(SQLException.class)
                    .hasMessageContaining("is immutable");
        }
        given().get("/api/v1/runs/{id}/provenance", run).then().body("image.ref", equalTo("python:3.12-slim"));
    }

    @Test
    void observedFieldsAreFilledOncePerAttemptAndStartAfreshOnARetry() throws SQLException {
        long run = firstRun(Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "")).statusCode(201)
                .extract().path("id"));
        String digest = "docker.io/library/python@sha256:" + "ab".repeat(32);

        assertThat(lifecycle.observe(new TrialObservation.Running(run, 0, Instant.now(), "node-a", digest))).isTrue();
        lifecycle.observe(new TrialObservation.Running(run, 0, Instant.now(), "node-b", "other@sha256:" + "cd".repeat(32)));
        update(run, "gpu_model = 'NVIDIA A10'");

        JsonPath p = provenance(run);
        assertThat(p.getString("nodeName")).isEqualTo("node-a");
        assertThat(p.getString("image.digest")).isEqualTo(digest);
        assertThat(p.getString("image.pinned")).isEqualTo("python@sha256:" + "ab".repeat(32));
        assertThat(p.getString("gpuModel")).isEqualTo("NVIDIA A10");
        assertThatThrownBy(() -> update(run, "node_name = 'node-c'")).hasMessageContaining("already recorded");
        assertThatThrownBy(() -> update(run, "gpu_model = 'NVIDIA H100'")).hasMessageContaining("already recorded");

        // a retry is a new attempt: it records where it ran, and the first attempt's record stays in run_attempts
        update(run, "attempt = attempt + 1, node_name = null, image_digest = null, gpu_model = null");
        update(run, "node_name = 'node-c'");
        assertThat(provenance(run).getString("nodeName")).isEqualTo("node-c");
    }

    @Test
    void aRunThatDoesNotExistHasNoProvenance() {
        given().get("/api/v1/runs/{id}/provenance", Long.MAX_VALUE).then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
    }

    private void update(long run, String set) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update runs set " + set + " where id = ?")) {
            ps.setLong(1, run);
            ps.executeUpdate();
        }
    }

}
