package dev.reprise.transfer;

import dev.reprise.api.snapshots.SnapshotManifest;
import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.Sha256;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the object store and the orchestrator's download endpoint, on 127.0.0.1: blobs under
 * {@code /blobs/<hex>?v=N}, where a URL is valid only for the current "version" (expiring it makes the store answer
 * 403 until the listing is fetched again), and the listing itself under {@code /listing}.
 */
final class TestingBlobServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Set<String> expired = ConcurrentHashMap.newKeySet();
    private final AtomicInteger version = new AtomicInteger();
    private final AtomicInteger blobRequests = new AtomicInteger();
    private final AtomicInteger listingRequests = new AtomicInteger();
    private volatile List<ManifestEntry> entries = List.of();
    private volatile String listingId;

    TestingBlobServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/blobs/", this::blob);
        server.createContext("/listing", this::listing);
        server.start();
    }

    /** Stores the content under its hash and returns the manifest entry for it at {@code path}. */
    ManifestEntry put(String path, byte[] content, int mode) {
        String sha = Sha256.hex(content);
        blobs.put(sha, content);
        return new ManifestEntry(path, content.length, sha, mode);
    }

    void replace(String sha256, byte[] content) {
        blobs.put(sha256, content);
    }

    void remove(String sha256) {
        blobs.remove(sha256);
    }

    /** Makes every URL handed out so far answer 403, as an expired presigned URL does. */
    void expireUrls() {
        expired.add(Integer.toString(version.getAndIncrement()));
    }

    void serve(SnapshotManifest manifest) {
        this.entries = manifest.entries();
        this.listingId = manifest.id();
    }

    void serveWithId(SnapshotManifest manifest, String id) {
        this.entries = manifest.entries();
        this.listingId = id;
    }

    URI listingUri() {
        return URI.create(base() + "/listing");
    }

    DownloadListing listing() {
        listingRequests.incrementAndGet();
        Map<String, URI> urls = new HashMap<>();
        entries.forEach(e -> urls.put(e.sha256(), URI.create(base() + "/blobs/" + e.sha256() + "?v=" + version.get())));
        return new DownloadListing(listingId, entries, urls);
    }

    int blobRequests() {
        return blobRequests.get();
    }

    int listingRequests() {
        return listingRequests.get();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void blob(HttpExchange exchange) throws IOException {
        blobRequests.incrementAndGet();
        String sha = exchange.getRequestURI().getPath().substring("/blobs/".length());
        String v = exchange.getRequestURI().getQuery().substring(2);
        if (expired.contains(v)) {
            respond(exchange, 403, "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>");
            return;
        }
        byte[] content = blobs.get(sha);
        if (content == null) {
            respond(exchange, 404, "<Error><Code>NoSuchKey</Code></Error>");
            return;
        }
        exchange.sendResponseHeaders(200, content.length == 0 ? -1 : content.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(content);
        }
    }

    private void listing(HttpExchange exchange) throws IOException {
        DownloadListing l = listing();
        StringBuilder json = new StringBuilder("{\"id\":\"" + l.id() + "\",\"entries\":[");
        for (int i = 0; i < l.entries().size(); i++) {
            ManifestEntry e = l.entries().get(i);
            json.append(i == 0 ? "" : ",").append("{\"path\":\"").append(e.path()).append("\",\"size\":")
                    .append(e.size()).append(",\"sha256\":\"").append(e.sha256()).append("\",\"mode\":")
                    .append(e.mode()).append(",\"url\":\"").append(l.urls().get(e.sha256())).append("\"}");
        }
        respond(exchange, 200, json.append("]}").toString());
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
