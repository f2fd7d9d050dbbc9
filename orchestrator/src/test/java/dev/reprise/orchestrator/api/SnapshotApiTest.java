package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.SnapshotManifest;
import dev.reprise.orchestrator.storage.ObjectStore;
import dev.reprise.orchestrator.storage.snapshots.SnapshotStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snapshot REST API against the real PostgreSQL and the real S3 server. */
@QuarkusTest
class SnapshotApiTest {

    @Inject
    ObjectStore store;

    @Test
    void pushingTheSameFilesTwiceUploadsNoNewBlobsAndKeepsTheId() {
        String name = DataSnapshots.uniqueName();
        Map<String, String> files = DataSnapshots.uniqueFiles("train/a.csv", "train/b.csv", "README");

        JsonPath first = DataSnapshots.plan(files);
        assertThat(first.getList("missing")).hasSize(3);
        assertThat(DataSnapshots.uploadMissing(first, files)).isEqualTo(3);
        String id = DataSnapshots.commit(name, null, files).statusCode(201)
                .header("Location", containsString("/api/v1/snapshots/sha256:"))
                .body("created", equalTo(true)).body("tag", equalTo("latest"))
                .body("fileCount", equalTo(3)).extract().path("id");

        JsonPath second = DataSnapshots.plan(files);
        assertThat(second.getList("missing")).isEmpty();
        assertThat(second.getInt("present")).isEqualTo(3);
        DataSnapshots.commit(name, null, files).statusCode(200).body("id", equalTo(id)).body("created", equalTo(false))
                .body("previousId", nullValue());
    }

    @Test
    void changingOneFileUploadsExactlyOneBlobAndGivesANewId() {
        String name = DataSnapshots.uniqueName();
        Map<String, String> files = DataSnapshots.uniqueFiles("a", "b", "c", "d");
        String v1 = DataSnapshots.push(name, "v1", files);
        Map<String, String> changed = new LinkedHashMap<>(files);
        changed.put("c", files.get("c") + "one more line\n");

        JsonPath plan = DataSnapshots.plan(changed);

        assertThat(plan.getList("missing.sha256")).containsExactly(DataSnapshots.sha(changed.get("c")));
        DataSnapshots.uploadMissing(plan, changed);
        String v2 = DataSnapshots.commit(name, "v2", changed).statusCode(201).extract().path("id");
        assertThat(v2).isNotEqualTo(v1).matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void computesTheIdAsTheHashOfTheCanonicalManifest() throws Exception {
        Map<String, String> files = DataSnapshots.uniqueFiles("z.txt", "a/b.txt");
        String id = DataSnapshots.push(DataSnapshots.uniqueName(), null, files);

        SnapshotManifest expected = SnapshotManifest.of(files.entrySet().stream()
                .map(f -> new ManifestEntry(f.getKey(), DataSnapshots.bytes(f.getValue()).length,
                        DataSnapshots.sha(f.getValue()), 0644))
                .toList());

        assertThat(id).isEqualTo(expected.id());
        assertThat(DataSnapshots.exists(store, SnapshotStore.manifestKey(id.substring(7)))).isTrue();
    }

    @Test
    void refusesToCommitWhileBlobsAreMissingAndNamesTheirPaths() {
        String name = DataSnapshots.uniqueName();
        Map<String, String> files = DataSnapshots.uniqueFiles("present.csv", "missing/one.csv", "missing/two.csv");
        Map<String, String> uploaded = Map.of("present.csv", files.get("present.csv"));
        DataSnapshots.uploadMissing(DataSnapshots.plan(uploaded), uploaded);

        DataSnapshots.commit(name, null, files).statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://reprise.dev/problems/invalid-snapshot"))
                .body("detail", equalTo("2 of 3 files have no blob in the store; upload them first (running the "
                        + "push again resumes it)"))
                .body("errors.field", contains("manifest.entries[1]", "manifest.entries[2]"))
                .body("errors[0].message", equalTo("blob sha256:" + DataSnapshots.sha(files.get("missing/one.csv"))
                        + " of 'missing/one.csv' is not in the store"));

        given().get("/api/v1/snapshots/{ref}", name).then().statusCode(404);
        given().queryParam("name", name).get("/api/v1/snapshots").then().body("total", equalTo(0));
    }

    @Test
    void uploadUrlsAcceptOnlyTheBytesTheyWereIssuedFor() {
        Map<String, String> files = DataSnapshots.uniqueFiles("data.bin");
        String content = files.get("data.bin");
        Map<String, Object> upload = DataSnapshots.plan(files).getMap("missing[0]");
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) upload.get("headers");

        int forged = DataSnapshots.put((String) upload.get("url"), headers, DataSnapshots.bytes(content.toUpperCase()));
        int withoutChecksum = DataSnapshots.put((String) upload.get("url"), Map.of(), DataSnapshots.bytes(content));

        assertThat(forged).isEqualTo(400);
        assertThat(withoutChecksum).isEqualTo(403);
        assertThat(DataSnapshots.blobExists(store, content)).isFalse();
        assertThat(DataSnapshots.put((String) upload.get("url"), headers, DataSnapshots.bytes(content))).isEqualTo(200);
        assertThat(DataSnapshots.blobExists(store, content)).isTrue();
    }

    @Test
    void movesNamesLikePointersWhileIdsStayReadable() {
        String name = DataSnapshots.uniqueName();
        String v1 = DataSnapshots.push(name, null, DataSnapshots.uniqueFiles("x"));
        Map<String, String> second = DataSnapshots.uniqueFiles("x");
        DataSnapshots.uploadMissing(DataSnapshots.plan(second), second);

        String v2 = DataSnapshots.commit(name, null, second).statusCode(201).body("previousId", equalTo(v1))
                .extract().path("id");
        DataSnapshots.commit(name, "v2", second).statusCode(200).body("previousId", nullValue());

        given().get("/api/v1/snapshots/{ref}", name).then().statusCode(200).body("id", equalTo(v2))
                .body("tags", contains(name + ":latest", name + ":v2"));
        given().get("/api/v1/snapshots/{ref}", name + ":latest").then().body("id", equalTo(v2));
        given().get("/api/v1/snapshots/{ref}", v1).then().statusCode(200).body("id", equalTo(v1))
                .body("tags", hasSize(0)).body("entries[0].path", equalTo("x"))
                .body("entries[0].mode", equalTo(420));
    }

    @Test
    void listsSnapshotsNewestFirstFilteredByName() {
        String name = DataSnapshots.uniqueName();
        String v1 = DataSnapshots.push(name, "v1", DataSnapshots.uniqueFiles("f"));
        String v2 = DataSnapshots.push(name, "v2", DataSnapshots.uniqueFiles("f"));
        DataSnapshots.push(DataSnapshots.uniqueName(), null, DataSnapshots.uniqueFiles("f"));

        given().queryParam("name", name).get("/api/v1/snapshots").then().statusCode(200)
                .body("total", equalTo(2)).body("items.id", contains(v2, v1))
                .body("items[0].tags", contains(name + ":v2")).body("items[0].entries", nullValue());
        given().queryParam("size", 1).get("/api/v1/snapshots").then().statusCode(200).body("items", hasSize(1));
        given().queryParam("name", "Bad Name").get("/api/v1/snapshots").then().statusCode(400)
                .body("errors[0].field", equalTo("name"));
    }

    @Test
    void givesADownloadUrlPerFileThatServesExactlyItsBytes() throws Exception {
        String name = DataSnapshots.uniqueName();
        Map<String, String> files = DataSnapshots.uniqueFiles("one.txt", "two/three.txt");
        String id = DataSnapshots.push(name, null, files);

        JsonPath download = given().get("/api/v1/snapshots/{ref}/download", name).then().statusCode(200)
                .body("id", equalTo(id)).body("fileCount", equalTo(2))
                .body("expiresAt", matchesPattern("\\d{4}-.*Z")).extract().jsonPath();

        List<Map<String, Object>> entries = download.getList("entries");
        assertThat(entries).extracting(e -> e.get("path")).containsExactly("one.txt", "two/three.txt");
        for (Map<String, Object> e : entries) {
            byte[] body = DataSnapshots.get((String) e.get("url"));
            assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(files.get((String) e.get("path")));
        }
    }

    @Test
    void commitsAManifestUploadedBeforehandById() throws Exception {
        String name = DataSnapshots.uniqueName();
        Map<String, String> files = DataSnapshots.uniqueFiles("big/manifest/file");
        DataSnapshots.uploadMissing(DataSnapshots.plan(files), files);
        SnapshotManifest manifest = SnapshotManifest.of(List.of(new ManifestEntry("big/manifest/file",
                DataSnapshots.bytes(files.get("big/manifest/file")).length,
                DataSnapshots.sha(files.get("big/manifest/file")),
                0644)));
        byte[] bytes = manifest.canonicalBytes();
        String hex = manifest.id().substring(7);

        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"id\":\"" + manifest.id() + "\"}")
                .post("/api/v1/snapshots").then().statusCode(422).body("errors[0].field", equalTo("id"))
                .body("errors[0].message", containsString("no manifest with this id was uploaded"));
        Map<String, Object> upload = given().contentType(ContentType.JSON)
                .body("{\"manifest\":{\"sha256\":\"" + hex + "\",\"size\":" + bytes.length + "}}")
                .post("/api/v1/snapshots/uploads").then().statusCode(200).body("missing", hasSize(0))
                .extract().jsonPath().getMap("manifest");
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) upload.get("headers");
        assertThat(DataSnapshots.put((String) upload.get("url"), headers, bytes)).isEqualTo(200);

        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"tag\":\"v1\",\"id\":\""
                        + manifest.id() + "\"}")
                .post("/api/v1/snapshots").then().statusCode(201).body("id", equalTo(manifest.id()))
                .body("tags", contains(name + ":v1"));
        assertThat(DataSnapshots.exists(store, SnapshotStore.stagedManifestKey(hex))).isFalse();
        given().contentType(ContentType.JSON)
                .body("{\"manifest\":{\"sha256\":\"" + hex + "\",\"size\":" + bytes.length + "}}")
                .post("/api/v1/snapshots/uploads").then().statusCode(200).body("manifest", nullValue());
    }

    @Test
    void answersBadManifestsWithTheFieldOfEachBadEntry() {
        String sha = "ab".repeat(32);
        String body = "{\"name\":\"" + DataSnapshots.uniqueName() + "\",\"manifest\":{\"entries\":["
                + "{\"path\":\"ok\",\"size\":1,\"sha256\":\"" + sha + "\",\"mode\":420},"
                + "{\"path\":\"../etc/passwd\",\"size\":1,\"sha256\":\"" + sha + "\",\"mode\":420},"
                + "{\"path\":\"ok\",\"size\":1,\"sha256\":\"" + sha + "\",\"mode\":420},"
                + "{\"path\":\"x\",\"size\":-1,\"sha256\":\"XYZ\",\"mode\":4095}]}}";

        given().contentType(ContentType.JSON).body(body).post("/api/v1/snapshots").then().statusCode(422)
                .body("errors.field", contains("manifest.entries[1]", "manifest.entries[2]", "manifest.entries[3]",
                        "manifest.entries[3]", "manifest.entries[3]"))
                .body("errors[0].message", equalTo("'../etc/passwd' has a '..' segment"))
                .body("errors[1].message", equalTo("'ok' is listed more than once"));
        given().contentType(ContentType.JSON).body("{\"name\":\"Bad\",\"tag\":\"-x\",\"manifest\":{\"entries\":[]}}")
                .post("/api/v1/snapshots").then().statusCode(422).body("errors.field", contains("name", "tag"));
        given().contentType(ContentType.JSON).body("{\"name\":\"" + DataSnapshots.uniqueName()
                        + "\",\"manifest\":{\"entries\":[]}}")
                .post("/api/v1/snapshots").then().statusCode(422)
                .body("errors[0].message", equalTo("a snapshot needs at least one file"));
        given().contentType(ContentType.JSON).body("{\"blobs\":[{\"sha256\":\"nothex\",\"size\":\"big\"}]}")
                .post("/api/v1/snapshots/uploads").then().statusCode(422)
                .body("errors.field", contains("blobs[0].size"));
        given().contentType(ContentType.JSON).body("{\"blobs\":[{\"sha256\":\"nothex\",\"size\":1}]}")
                .post("/api/v1/snapshots/uploads").then().statusCode(422)
                .body("errors.field", contains("blobs[0].sha256"));
    }

    @Test
    void answersMalformedBodiesAndBadReferencesWith400() {
        given().contentType(ContentType.JSON).body("{\"name\":").post("/api/v1/snapshots").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://reprise.dev/problems/malformed-document"));
        given().contentType(ContentType.JSON).body("[1,2]").post("/api/v1/snapshots/uploads").then().statusCode(400);
        given().get("/api/v1/snapshots/{ref}", "Not:A:Ref").then().statusCode(400)
                .body("errors[0].field", equalTo("ref"));
        given().delete("/api/v1/snapshots/{id}", "digits:latest").then().statusCode(400)
                .body("errors[0].field", equalTo("id"));
    }

    @Test
    void answersSnapshotsThatDoNotExistWith404() {
        String id = "sha256:" + "0".repeat(64);
        given().get("/api/v1/snapshots/{ref}", id).then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("detail", equalTo("snapshot " + id + " does not exist"));
        given().get("/api/v1/snapshots/{ref}/download", "no-such-name:v9").then().statusCode(404)
                .body("detail", equalTo("snapshot no-such-name:v9 does not exist"));
        given().delete("/api/v1/snapshots/{id}", id).then().statusCode(404);
    }

    @Test
    void deletesAnUnusedSnapshotWithItsTagsButKeepsItsBlobs() {
        String name = DataSnapshots.uniqueName();
        Map<String, String> files = DataSnapshots.uniqueFiles("only");
        String id = DataSnapshots.push(name, "v1", files);

        given().delete("/api/v1/snapshots/{id}", id).then().statusCode(204);

        given().get("/api/v1/snapshots/{ref}", id).then().statusCode(404);
        given().get("/api/v1/snapshots/{ref}", name + ":v1").then().statusCode(404);
        assertThat(DataSnapshots.exists(store, SnapshotStore.manifestKey(id.substring(7)))).isFalse();
        assertThat(DataSnapshots.blobExists(store, files.get("only"))).isTrue();
        assertThat(DataSnapshots.push(name, "v1", files)).as("pushing it again brings it back").isEqualTo(id);
        given().get("/api/v1/snapshots/{ref}/download", id).then().statusCode(200);
    }

    @Test
    void refusesToDeleteASnapshotThatRunsUse() {
        String name = DataSnapshots.uniqueName();
        String id = DataSnapshots.push(name, null, DataSnapshots.uniqueFiles("used"));
        Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "data:\n  snapshot: " + name + "\n")).statusCode(201);

        given().delete("/api/v1/snapshots/{id}", id).then().statusCode(409).contentType(Problem.MEDIA_TYPE)
                .body("detail", matchesPattern("snapshot " + id + " is the data of 2 runs \\(e\\.g\\. run \\d+, \\d+\\); "
                        + "a snapshot that runs reference cannot be deleted"));
        given().get("/api/v1/snapshots/{ref}", name).then().statusCode(200).body("id", equalTo(id))
                .body("tags", hasItem(name + ":latest"));
    }
}
