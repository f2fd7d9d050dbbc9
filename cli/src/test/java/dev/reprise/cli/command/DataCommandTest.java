package dev.reprise.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.api.snapshots.Sha256;
import dev.reprise.cli.RecordedRequest;
import dev.reprise.cli.Reprise;
import dev.reprise.cli.Reprise.Result;
import dev.reprise.cli.ScriptedServer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data commands against a scripted server that plays both the orchestrator and the object store. */
class DataCommandTest {
    private static final String ID = "sha256:" + "ab".repeat(32);

    private final ScriptedServer server = ScriptedServer.start();

    @TempDir
    Path tmp;

    private Map<String, String> env;

    @BeforeEach
    void environment() {
        env = Map.of("XDG_CONFIG_HOME", tmp.toString(), "REPRISE_SERVER", server.uri().toString());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void uploadsOnlyTheMissingBlobWithItsChecksumHeaderThenCommitsTheManifest() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("digits"));
        Files.writeString(dir.resolve("old.csv"), "already there");
        Files.writeString(dir.resolve("new.csv"), "new content");
        String newSha = Sha256.hex("new content");
        server.handle("POST", "/api/v1/snapshots/uploads", exchange -> {
            List<RecordedRequest> sofar = server.requests();
            String body = sofar.get(sofar.size() - 1).bodyText();
            String answer = body.contains("\"manifest\"") ? "{\"missing\":[],\"present\":0}"
                    : "{\"missing\":[{\"sha256\":\"" + newSha + "\",\"size\":11,\"url\":\"" + server.uri()
                    + "/store/" + newSha + "?sig=x\",\"headers\":{\"x-amz-checksum-sha256\":\""
                    + Sha256.base64(newSha) + "\"}}],\"present\":1}";
            respond(exchange, 200, answer);
        });
        server.reply("PUT", "/store/" + newSha, 200, "text/plain", "");
        server.replyJson("POST", "/api/v1/snapshots", 201, "{\"id\":\"" + ID + "\",\"fileCount\":2,"
                + "\"totalBytes\":24,\"name\":\"digits\",\"tag\":\"v3\",\"created\":true,\"tags\":[\"digits:v3\"]}");

        Result result = Reprise.run(env, "data", "push", dir.toString(), "--name", "digits", "--tag", "v3");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("Pushed digits:v3 = " + ID
                + " (2 files, 24 B, uploaded 1 new blob, 11 B)\n");
        List<RecordedRequest> requests = server.requests();
        assertThat(requests).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "POST /api/v1/snapshots/uploads", "PUT /store/" + newSha, "POST /api/v1/snapshots");
        assertThat(requests.get(0).bodyText()).contains(Sha256.hex("already there")).contains(newSha);
        RecordedRequest put = requests.get(1);
        assertThat(put.bodyText()).isEqualTo("new content");
        assertThat(put.header("x-amz-checksum-sha256")).contains(Sha256.base64(newSha));
        assertThat(put.header("Authorization")).isEmpty();
        assertThat(requests.get(2).bodyText()).contains("\"name\":\"digits\"").contains("\"tag\":\"v3\"")
                .containsPattern("\"id\":\"sha256:[0-9a-f]{64}\"")
                .contains("{\"path\":\"new.csv\",\"size\":11,\"sha256\":\"" + newSha + "\",\"mode\":420}");
    }

    @Test
    void refusesADirectoryWithALinkLeavingItBeforeAskingTheServerAnything() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("digits"));
        Files.writeString(dir.resolve("ok.csv"), "x");
        Files.createSymbolicLink(dir.resolve("passwd"), Path.of("/etc/passwd"));

        Result result = Reprise.run(env, "data", "push", dir.toString(), "--name", "digits");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("passwd -> /etc/passwd: symbolic link points outside the directory")
                .contains("nothing was uploaded");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void refusesBadNamesAndReferencesAsUsageErrors() {
        Result badName = Reprise.run(env, "data", "push", tmp.toString(), "--name", "Digits");
        Result badRef = Reprise.run(env, "data", "show", "digits:");
        Result rmName = Reprise.run(env, "data", "rm", "digits:latest");

        assertThat(badName.exitCode()).isEqualTo(2);
        assertThat(badName.err()).contains("--name must be lowercase letters");
        assertThat(badRef.exitCode()).isEqualTo(2);
        assertThat(badRef.err()).contains("'digits:' is not a snapshot reference");
        assertThat(rmName.exitCode()).isEqualTo(2);
        assertThat(rmName.err()).contains("rm takes a snapshot id");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void refusesToPullIntoANonEmptyDirectoryWithoutForce() throws Exception {
        Files.writeString(tmp.resolve("keep.txt"), "mine");

        Result result = Reprise.run(env, "data", "pull", "digits", tmp.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("is not empty").contains("--force");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void exitsFourWhenAPulledBlobDoesNotMatchItsHash() throws Exception {
        String sha = Sha256.hex("the real content");
        server.replyJson("GET", "/api/v1/snapshots/digits:latest/download", 200, "{\"id\":\"" + manifestId(sha)
                + "\",\"entries\":[{\"path\":\"a.txt\",\"size\":16,\"sha256\":\"" + sha + "\",\"mode\":420,"
                + "\"url\":\"" + server.uri() + "/store/" + sha + "\"}]}");
        server.reply("GET", "/store/" + sha, 200, "application/octet-stream", "the fake content");

        Result result = Reprise.run(env, "data", "pull", "digits", tmp.resolve("out").toString());

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).contains("The snapshot's data does not verify: blob sha256:" + sha
                + " of 'a.txt' is corrupt in the store");
        assertThat(tmp.resolve("out/a.txt")).doesNotExist();
    }

    @Test
    void showsASnapshotWithItsTagsAndFiles() {
        server.replyJson("GET", "/api/v1/snapshots/digits:v3", 200, "{\"id\":\"" + ID + "\",\"fileCount\":1,"
                + "\"totalBytes\":1500,\"createdAt\":\"2026-11-26T18:00:00.123Z\",\"createdBy\":\"anonymous\","
                + "\"tags\":[\"digits:latest\",\"digits:v3\"],\"entries\":[{\"path\":\"bin/run.sh\",\"size\":1500,"
                + "\"sha256\":\"" + "cd".repeat(32) + "\",\"mode\":493}]}");

        Result result = Reprise.run(env, "data", "show", "digits:v3");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo(String.join("\n",
                "ID:         " + ID,
                "Tags:       digits:latest, digits:v3",
                "Files:      1",
                "Size:       1.5 kB (1500 bytes)",
                "Created:    2026-11-26T18:00:00Z",
                "Created by: anonymous",
                "",
                "PATH         SIZE     MODE   SHA256",
                "bin/run.sh   1.5 kB   0755   cdcdcdcdcdcd") + "\n");
    }

    private static String manifestId(String sha) {
        return "sha256:" + Sha256.hex("{\"entries\":[{\"mode\":420,\"path\":\"a.txt\",\"sha256\":\"" + sha
                + "\",\"size\":16}],\"version\":1}");
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
