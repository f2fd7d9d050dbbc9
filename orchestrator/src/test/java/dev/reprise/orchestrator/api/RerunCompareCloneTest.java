package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.reprise.orchestrator.scheduling.ObjectiveWriter;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Re-runs are pinned to the original's provenance; comparisons say what differs; clones change a sweep by path. */
@QuarkusTest
class RerunCompareCloneTest {

    @Inject
    ObjectiveWriter metrics;

    @Inject
    Database database;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    dev.reprise.orchestrator.storage.ObjectStore objects;

    private static long run(int sweepId, int index) {
        return ((Number) given().get("/api/v1/sweeps/{id}/runs", sweepId).then().statusCode(200).extract()
                .path("items[" + index + "].id")).longValue();
    }

    private static JsonPath provenance(long runId) {
        return given().get("/api/v1/runs/{id}/provenance", runId).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath compare(long a, long b) {
        return given().get("/api/v1/runs/{a}/compare/{b}", a, b).then().statusCode(200).extract().jsonPath();
    }

    private void curve(long run, String key, double... values) {
        for (int i = 0; i < values.length; i++) {
            metrics.record(run, 0, key, i + 1, values[i]);
        }
    }

    @Test
    void aRerunIsANewSingleTrialSweepPinnedToTheOriginalsParametersDataAndSeed() {
        String snapshot = DataSnapshots.push(DataSnapshots.uniqueName(), null, DataSnapshots.uniqueFiles("d.csv"));
        int sweep = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "data:\n  snapshot: " + snapshot + "\n"))
                .statusCode(201).extract().path("id");
        long original = run(sweep, 1);

        JsonPath rerun = given().post("/api/v1/runs/{id}/rerun", original).then().statusCode(201)
                .body("rerunOf", equalTo((int) original)).body("sweep.maxTrials", equalTo(1))
                .body("sweep.name", org.hamcrest.Matchers.endsWith("-rerun-" + original))
                .extract().jsonPath();
        long copy = rerun.getLong("runId");

        JsonPath a = provenance(original);
        JsonPath b = provenance(copy);
        assertThat(b.getLong("rerunOf")).isEqualTo(original);
        assertThat(b.getMap("parameters")).isEqualTo(a.getMap("parameters"));
        assertThat(b.getLong("seed")).isEqualTo(a.getLong("seed"));
        assertThat(b.getString("data.snapshotId")).isEqualTo(snapshot);
        assertThat(b.getList("command")).isEqualTo(a.getList("command"));
        assertThat(b.getString("configHash")).isEqualTo(a.getString("configHash"));
        // a second re-run gets a name of its own
        given().post("/api/v1/runs/{id}/rerun", original).then().statusCode(201)
                .body("sweep.name", org.hamcrest.Matchers.endsWith("-rerun-" + original + "-2"));
    }

    @Test
    void equalCurvesAreReproducedAndAChangedSnapshotDivergesNamingTheSnapshot() {
        String name = DataSnapshots.uniqueName();
        DataSnapshots.push(name, "v1", DataSnapshots.uniqueFiles("d.csv"));
        String v2 = DataSnapshots.push(name, "v2", DataSnapshots.uniqueFiles("d.csv"));
        int sweep = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "data:\n  snapshot: " + name + ":v1\n"))
                .statusCode(201).extract().path("id");
        long original = run(sweep, 0);
        long copy = given().post("/api/v1/runs/{id}/rerun", original).then().statusCode(201).extract().jsonPath()
                .getLong("runId");
        int changed = given().contentType("application/json")
                .body(Map.of("set", List.of(Map.of("path", "data.snapshot", "value", name + ":v2"))))
                .post("/api/v1/sweeps/{id}/clone", sweep).then().statusCode(201).extract().path("id");
        long other = run(changed, 0);
        curve(original, "loss", 1.0, 0.5, 0.25);
        curve(copy, "loss", 1.0, 0.5, 0.25);
        curve(other, "loss", 1.0, 0.6, 0.3);

        JsonPath same = compare(original, copy);
        assertThat(same.getString("verdict")).isEqualTo("reproduced");
        assertThat(same.getList("differences")).isEmpty();
        assertThat(same.getInt("metrics[0].commonSteps")).isEqualTo(3);

        JsonPath diverged = compare(original, other);
        assertThat(diverged.getString("verdict")).isEqualTo("diverged");
        assertThat(diverged.getList("differences", String.class)).contains("data.snapshotId", "metrics.loss");
        assertThat(diverged.getString("provenance.find { it.field == 'data.snapshotId' }.b")).isEqualTo(v2);
        assertThat(diverged.getDouble("metrics[0].maxAbsDiff")).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(diverged.getDouble("metrics[0].finalDelta")).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(diverged.getString("summary")).contains("data.snapshotId");

        // a loose enough tolerance accepts the deviation
        given().queryParam("rtol", "0.5").get("/api/v1/runs/{a}/compare/{b}", original, other).then()
                .statusCode(200).body("verdict", equalTo("reproduced"));
    }

    @Test
    void aCloneChangesTheSweepByPathKeepsItsSeedAndDataAndRecordsWhereItCameFrom() {
        String snapshot = DataSnapshots.push(DataSnapshots.uniqueName(), null, DataSnapshots.uniqueFiles("d.csv"));
        String yaml = "name: " + Sweeps.uniqueName() + "\nimage: python:3.12\nprogram: train.py\nmethod: random\n"
                + "max_trials: 3\nparameters:\n  lr:\n    min: 0.001\n    max: 0.01\ndata:\n  snapshot: " + snapshot
                + "\n";
        int sweep = Sweeps.submitYaml(yaml).statusCode(201).extract().path("id");

        int clone = given().contentType("application/json")
                .body(Map.of("name", Sweeps.uniqueName(), "set", List.of(Map.of("path", "lr.max", "value", 0.1))))
                .post("/api/v1/sweeps/{id}/clone", sweep).then().statusCode(201).extract().path("id");

        JsonPath source = given().get("/api/v1/sweeps/{id}", sweep).then().extract().jsonPath();
        JsonPath cloned = given().get("/api/v1/sweeps/{id}", clone).then().extract().jsonPath();
        assertThat(cloned.getDouble("spec.parameters.lr.max")).isEqualTo(0.1);
        assertThat(cloned.getLong("spec.seed")).isEqualTo(source.getLong("spec.seed"));
        JsonPath p = provenance(run(clone, 0));
        assertThat(p.getLong("clonedFrom")).isEqualTo(sweep);
        assertThat(p.getString("data.snapshotId")).isEqualTo(snapshot);
    }

    @Test
    void aRerunWhoseDataIsNoLongerCompleteInTheStoreIsRefusedNamingTheFile() {
        Map<String, String> files = DataSnapshots.uniqueFiles("train/part-0.csv");
        String snapshot = DataSnapshots.push(DataSnapshots.uniqueName(), null, files);
        int sweep = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "data:\n  snapshot: " + snapshot + "\n"))
                .statusCode(201).extract().path("id");
        long original = run(sweep, 0);
        String content = files.values().iterator().next();
        DataSnapshots.overwriteBlob(objects, DataSnapshots.sha(content), DataSnapshots.bytes("rot"));
        Database.RowCounts before = database.counts();

        given().post("/api/v1/runs/{id}/rerun", original).then().statusCode(409).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("data.snapshotId"))
                .body("detail", org.hamcrest.Matchers.containsString("'train/part-0.csv'"));
        assertThat(database.counts()).isEqualTo(before);
    }

    @Test
    void badClonesAreRefusedWithTheirFieldPathAndStoreNothing() {
        int sweep = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "")).statusCode(201).extract().path("id");
        Database.RowCounts before = database.counts();

        given().contentType("application/json").body(Map.of("set", List.of(Map.of("path", "nope.max", "value", 1))))
                .post("/api/v1/sweeps/{id}/clone", sweep).then().statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("set[0].path"));
        given().contentType("application/json")
                .body(Map.of("set", List.of(Map.of("path", "parallelism", "value", 0))))
                .post("/api/v1/sweeps/{id}/clone", sweep).then().statusCode(422)
                .body("errors.field", hasItem("parallelism"));
        given().contentType("application/json").body(Map.of("set", List.of(Map.of("path", "lr.values",
                        "value", "not a list"))))
                .post("/api/v1/sweeps/{id}/clone", sweep).then().statusCode(422)
                .body("errors.field", hasItem(org.hamcrest.Matchers.startsWith("parameters.lr")));
        String taken = given().get("/api/v1/sweeps/{id}", sweep).then().extract().path("name");
        given().contentType("application/json").body(Map.of("name", taken, "set", List.of()))
                .post("/api/v1/sweeps/{id}/clone", sweep).then().statusCode(409);
        given().contentType("application/json").body(Map.of("set", List.of()))
                .post("/api/v1/sweeps/{id}/clone", Long.MAX_VALUE).then().statusCode(404);

        assertThat(database.counts()).isEqualTo(before);
    }

    @Test
    void rerunsAndComparisonsOfUnknownRunsRunsWithoutProvenanceOrBadTolerancesAreProblems() throws SQLException {
        int sweep = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "")).statusCode(201).extract().path("id");
        long known = run(sweep, 0);
        long legacy;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // a run stored before provenance was recorded
            s.executeUpdate("insert into runs (id, sweep_id, run_index, parameters, state, attempt, created_at) "
                    + "values (nextval('runs_seq'), " + sweep + ", 99, '{}', 'SUCCEEDED', 0, now())");
            var rs = s.executeQuery("select id from runs where sweep_id = " + sweep + " and run_index = 99");
            rs.next();
            legacy = rs.getLong(1);
        }
        Database.RowCounts before = database.counts();

        given().post("/api/v1/runs/{id}/rerun", Long.MAX_VALUE).then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given().post("/api/v1/runs/{id}/rerun", legacy).then().statusCode(409).contentType(Problem.MEDIA_TYPE)
                .body("detail", org.hamcrest.Matchers.containsString("no provenance record"));
        given().get("/api/v1/runs/{a}/compare/{b}", known, Long.MAX_VALUE).then().statusCode(404);
        given().get("/api/v1/runs/{a}/compare/{b}", known, legacy).then().statusCode(404);
        given().queryParam("rtol", "-1").get("/api/v1/runs/{a}/compare/{b}", known, known).then().statusCode(400)
                .body("errors[0].field", equalTo("rtol"));
        given().queryParam("atol", "NaN").get("/api/v1/runs/{a}/compare/{b}", known, known).then().statusCode(400)
                .body("errors[0].field", equalTo("atol"));

        assertThat(database.counts()).isEqualTo(before);
    }
}
