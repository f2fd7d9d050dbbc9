package dev.reprise.agent.data;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.reprise.api.snapshots.InvalidManifestException;
import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.Sha256;
import dev.reprise.api.snapshots.SnapshotManifest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * The orchestrator's download endpoint and the object store in one JDK HTTP server on 127.0.0.1: serves one
 * snapshot's listing at {@code /api/v1/snapshots/<id>/download} and its blobs at {@code /blobs/<sha256>}.
 */
public final class TestingSnapshotServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final List<ManifestEntry> entries = new ArrayList<>();
    private volatile CountDownLatch blobGate = new CountDownLatch(0);

    public TestingSnapshotServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/v1/snapshots/", this::listing);
        server.createContext("/blobs/", this::blob);
        server.start();
    }

    public TestingSnapshotServer file(String path, String content, int mode) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String sha = Sha256.hex(bytes);
        blobs.put(sha, bytes);
        entries.add(new ManifestEntry(path, bytes.length, sha, mode));
        return this;
    }

    /** Replaces the stored bytes of the blob behind {@code path}, as a corrupted store would. */
    public void corrupt(String path, String content) {
        blobs.put(sha(path), content.getBytes(StandardCharsets.UTF_8));
    }

    public void remove(String path) {
        blobs.remove(sha(path));
    }

    /** Blob requests wait until {@link #release()}; to stop the agent while it downloads. */
    public void holdBlobs() {
        blobGate = new CountDownLatch(1);
    }

    public void release() {
        blobGate.countDown();
    }

    public String id() {
        try {
            return SnapshotManifest.of(entries).id();
        } catch (InvalidManifestException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI downloadUrl() {
        return URI.create(base() + "/api/v1/snapshots/" + id() + "/download");
    }

    private String sha(String path) {
        return entries.stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow().sha256();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void listing(HttpExchange exchange) throws IOException {
        StringBuilder json = new StringBuilder("{\"id\":\"" + id() + "\",\"entries\":[");
        for (int i = 0; i < entries.size(); i++) {
            ManifestEntry e = entries.get(i);
            json.append(i == 0 ? "" : ",").append("{\"path\":\"").append(e.path()).append("\",\"size\":")
                    .append(e.size()).append(",\"sha256\":\"").append(e.sha256()).append("\",\"mode\":")
                    .append(e.mode()).append(",\"url\":\"").append(base()).append("/blobs/").append(e.sha256())
                    .append("\"}");
        }
        respond(exchange, 200, json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    }

    private void blob(HttpExchange exchange) throws IOException {
        try {
            blobGate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] content = blobs.get(exchange.getRequestURI().getPath().substring("/blobs/".length()));
        if (content == null) {
            respond(exchange, 404, "<Error><Code>NoSuchKey</Code></Error>".getBytes(StandardCharsets.UTF_8));
            return;
        }
        respond(exchange, 200, content);
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
