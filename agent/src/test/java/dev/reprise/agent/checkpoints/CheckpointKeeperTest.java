package dev.reprise.agent.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.Sha256;
import dev.reprise.api.snapshots.SnapshotManifest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointKeeperTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private CheckpointKeeper keeper(URI base) {
        return new CheckpointKeeper(dir, base, Optional.of("token"), warnings::add, warnings::add);
    }

    @Test
    void onlyAStepDirectoryWithItsCompleteMarkerCounts() throws IOException {
        Files.createDirectories(dir.resolve("step-3"));
        Files.writeString(dir.resolve("step-3/model.bin"), "three");
        Files.writeString(dir.resolve("step-3/COMPLETE"), "");
        Files.createDirectories(dir.resolve("step-7"));
        Files.writeString(dir.resolve("step-7/model.bin"), "half written, no marker yet");
        Files.createDirectories(dir.resolve("step-x"));
        Files.writeString(dir.resolve("step-x/COMPLETE"), "");
        Files.writeString(dir.resolve("step-9"), "a file, not a directory");

        assertThat(keeper(URI.create("http://127.0.0.1:1/c")).newestComplete()).hasValue(3);
    }

    @Test
    void aCheckpointWhoseBytesDoNotMatchItsManifestIsNeverRestored() throws Exception {
        byte[] good = "weights".getBytes(StandardCharsets.UTF_8);
        SnapshotManifest manifest = SnapshotManifest.of(List.of(
                new ManifestEntry("COMPLETE", 0, Sha256.hex(new byte[0]), 0644),
                new ManifestEntry("model.bin", good.length, Sha256.hex(good), 0644)));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String blobs = "http://127.0.0.1:" + server.getAddress().getPort() + "/blob/";
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            byte[] body;
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/latest")) {
                StringBuilder json = new StringBuilder("{\"id\":\"" + manifest.id() + "\",\"step\":5,\"entries\":[");
                for (int i = 0; i < manifest.entries().size(); i++) {
                    ManifestEntry e = manifest.entries().get(i);
                    json.append(i == 0 ? "" : ",").append("{\"path\":\"").append(e.path()).append("\",\"size\":")
                            .append(e.size()).append(",\"sha256\":\"").append(e.sha256()).append("\",\"mode\":420,")
                            .append("\"url\":\"").append(blobs).append(e.sha256()).append("\"}");
                }
                body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            } else if (path.startsWith("/blob/")) {
                // the store hands back other bytes of the same size for the model: corrupt
                body = path.endsWith(Sha256.hex(good)) ? "WEIGHTS".getBytes(StandardCharsets.UTF_8) : new byte[0];
            } else {
                body = "{}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();

        OptionalLong restored = keeper(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + "/api/v1/runs/1/attempts/1/checkpoints")).restore();

        assertThat(restored).isEmpty();
        assertThat(dir.resolve("step-5")).doesNotExist();
        assertThat(requests).noneMatch(r -> r.endsWith("/restored"));
        assertThat(warnings).anyMatch(w -> w.contains("does not verify"));
    }
}
