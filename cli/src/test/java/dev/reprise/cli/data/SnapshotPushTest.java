package dev.reprise.cli.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.api.snapshots.Sha256;
import dev.reprise.cli.RecordedRequest;
import dev.reprise.cli.ScriptedServer;
import dev.reprise.cli.client.ApiClient;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The push protocol against a scripted server that plays both the orchestrator and the object store. */
class SnapshotPushTest {

    private final ScriptedServer server = ScriptedServer.start();
    private final List<String> progress = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        server.close();
    }

    private SnapshotPush push(int inlineManifestBytes) {
        return new SnapshotPush(ApiClient.create(server.uri(), Optional.empty(), "test"), 2, 2, progress::add,
                inlineManifestBytes);
    }

    @Test
    void uploadsALargeManifestToTheStoreAndCommitsItById() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        Files.writeString(dir.resolve("a.txt"), "alpha");
        String sha = Sha256.hex("alpha");
        server.handle("POST", "/api/v1/snapshots/uploads", exchange -> {
            List<RecordedRequest> sofar = server.requests();
            String body = sofar.get(sofar.size() - 1).bodyText();
            String answer;
            if (body.contains("\"manifest\"")) {
                String manifestSha = body.replaceAll(".*\"sha256\":\"([0-9a-f]{64})\".*", "$1");
                answer = "{\"missing\":[],\"present\":0,\"manifest\":{\"sha256\":\"" + manifestSha + "\",\"size\":1,"
                        + "\"url\":\"" + server.uri() + "/store/manifest\",\"headers\":{\"x-amz-checksum-sha256\":\""
                        + Sha256.base64(manifestSha) + "\"}}}";
            } else {
                answer = "{\"missing\":[],\"present\":1}";
            }
            respond(exchange, answer);
        });
        server.reply("PUT", "/store/manifest", 200, "text/plain", "");
        server.replyJson("POST", "/api/v1/snapshots", 200, "{\"id\":\"sha256:" + "1".repeat(64) + "\"}");

        SnapshotPush.Result result = push(0).push(dir, "d", null);

        List<RecordedRequest> requests = server.requests();
        assertThat(requests).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "POST /api/v1/snapshots/uploads", "POST /api/v1/snapshots/uploads", "PUT /store/manifest",
                "POST /api/v1/snapshots");
        assertThat(requests.get(2).body()).isEqualTo(result.manifest().canonicalBytes());
        assertThat(requests.get(3).bodyText()).isEqualTo("{\"name\":\"d\",\"id\":\"" + result.manifest().id() + "\"}");
        assertThat(result.newBlobs()).isZero();
        assertThat(result.manifest().entries()).singleElement().satisfies(e -> assertThat(e.sha256()).isEqualTo(sha));
        assertThat(progress).hasSize(3);
    }

    @Test
    void reportsAFileEditedAfterItWasHashedAsAnInputError() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        Files.writeString(dir.resolve("a.txt"), "alpha");
        String sha = Sha256.hex("alpha");
        server.replyJson("POST", "/api/v1/snapshots/uploads", 200, "{\"missing\":[{\"sha256\":\"" + sha
                + "\",\"size\":5,\"url\":\"" + server.uri() + "/store/a\",\"headers\":{}}],\"present\":0}");
        server.reply("PUT", "/store/a", 400, "application/xml", "<Error><Code>BadDigest</Code></Error>");

        assertThatThrownBy(() -> push(1 << 20).push(dir, "d", null))
                .isInstanceOf(DataInputException.class)
                .hasMessage("a.txt: the file changed after it was hashed (the store refused bytes that do not match "
                        + "its SHA-256); push again");
        assertThat(server.requests()).extracting(RecordedRequest::path).doesNotContain("/api/v1/snapshots");
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body)
            throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
