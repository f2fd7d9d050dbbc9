package dev.reprise.agent.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reprise.api.blobs.BlobRef;
import dev.reprise.api.blobs.BlobTransfer;
import dev.reprise.api.blobs.PresignedUpload;
import dev.reprise.api.blobs.UploadPlan;
import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.SnapshotPaths;
import dev.reprise.transfer.BlobPusher;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Uploads a run attempt's output directory ({@code REPRISE_OUTPUT_DIR}) to the orchestrator's artifact store with
 * the snapshot blob protocol: hash every regular file (SHA-256), ask {@code <base>/uploads} which blobs the store
 * lacks, PUT those to the presigned URLs (the store checks each against its hash), then commit the manifest to
 * {@code <base>}. Content the store already has (from any run or snapshot) is not uploaded again.
 *
 * <p>Symbolic links, special files and paths a snapshot cannot hold are skipped with a warning; nothing here changes
 * the run's outcome.
 */
public final class ArtifactUploader {

    /** Files per upload request (the orchestrator accepts up to 5000). */
    static final int BATCH = 1000;
    /** At most this many files are uploaded; the rest are skipped with a warning. */
    static final int MAX_FILES = 100_000;
    private static final int TRIES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final BlobPusher pusher;
    private final java.util.Optional<String> runToken;
    private final Consumer<String> warn;
    private final Duration timeout;

    public ArtifactUploader(HttpClient http, Consumer<String> warn, Duration timeout) {
        this(http, java.util.Optional.empty(), warn, timeout);
    }

    /** {@code runToken}: the run attempt's token, sent to the orchestrator (never to the presigned store URLs). */
    public ArtifactUploader(HttpClient http, java.util.Optional<String> runToken, Consumer<String> warn,
            Duration timeout) {
        this.http = http;
        this.pusher = new BlobPusher(http, timeout.multipliedBy(10));
        this.runToken = runToken;
        this.warn = warn;
        this.timeout = timeout;
    }

    /** What an upload did. */
    public record Result(int files, int uploaded, long uploadedBytes, String manifestId) {
    }

    private record FileEntry(String path, Path file, long size, String sha256, int mode) {
    }

    /** Uploads {@code dir} to {@code baseUrl} ({@code .../api/v1/runs/<id>/attempts/<n>/artifacts}). */
    public Result upload(URI baseUrl, Path dir) throws IOException, InterruptedException {
        List<FileEntry> files = scan(dir);
        Map<String, FileEntry> byHash = new LinkedHashMap<>();
        files.forEach(f -> byHash.putIfAbsent(f.sha256(), f));
        List<FileEntry> unique = new ArrayList<>(byHash.values());
        URI uploads = URI.create(baseUrl + "/uploads");
        int uploaded = 0;
        long bytes = 0;
        for (int from = 0; from < unique.size(); from += BATCH) {
            List<BlobRef> batch = unique.subList(from, Math.min(unique.size(), from + BATCH)).stream()
                    .map(f -> new BlobRef(f.sha256(), f.size())).toList();
            UploadPlan plan = BlobTransfer.plan(post(uploads, BlobTransfer.uploadRequest(batch, Optional.empty())));
            for (PresignedUpload missing : plan.missing()) {
                FileEntry f = byHash.get(missing.sha256());
                if (f == null) {
                    continue;
                }
                pusher.push(missing, f.file(), "artifact '" + f.path() + "'", expired -> renew(uploads, f));
                uploaded++;
                bytes += f.size();
            }
        }
        List<ManifestEntry> entries = files.stream()
                .map(f -> new ManifestEntry(f.path(), f.size(), f.sha256(), f.mode())).toList();
        JsonNode committed = JSON.readTree(post(baseUrl, BlobTransfer.write(BlobTransfer.manifestCommit(entries,
                Map.of()))));
        return new Result(files.size(), uploaded, bytes, committed.path("manifestId").asText(null));
    }

    /** A fresh upload of a blob whose URL expired, or none when the store has it by now. */
    private Optional<PresignedUpload> renew(URI uploads, FileEntry f) {
        try {
            return BlobTransfer.plan(post(uploads, BlobTransfer.uploadRequest(
                    List.of(new BlobRef(f.sha256(), f.size())), Optional.empty()))).missing().stream().findFirst();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private List<FileEntry> scan(Path dir) throws IOException {
        List<FileEntry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        Path root = dir.toAbsolutePath().normalize();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root, new FileVisitOption[0])) {
            paths = walk.sorted().toList();
        }
        int skipped = 0;
        for (Path p : paths) {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            String rel = root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                warn.accept("artifact '" + rel + "' is not a regular file (a link or special file); not uploaded");
                continue;
            }
            var problem = SnapshotPaths.problem(rel);
            if (problem.isPresent()) {
                warn.accept("artifact '" + rel + "' cannot be stored: " + problem.get());
                continue;
            }
            if (out.size() >= MAX_FILES) {
                skipped++;
                continue;
            }
            try {
                out.add(new FileEntry(rel, p, Files.size(p), sha256(p), mode(p)));
            } catch (IOException e) {
                warn.accept("artifact '" + rel + "' cannot be read: " + e.getMessage() + "; not uploaded");
            }
        }
        if (skipped > 0) {
            warn.accept(skipped + " artifact(s) beyond the first " + MAX_FILES + " were not uploaded");
        }
        return out;
    }

    private static int mode(Path p) {
        try {
            return Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
        } catch (IOException | UnsupportedOperationException e) {
            return 0644;
        }
    }

    static String sha256(Path p) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(p)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private byte[] post(URI uri, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        runToken.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return send(b.build()).body();
    }

    /**
     * Sends an orchestrator request with a few retries on connection errors and 5xx; any other non-2xx answer fails at
     * once. (Blob PUTs go through the {@link BlobPusher}, which retries the same way.)
     */
    private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        IOException last = null;
        for (int i = 0; i < TRIES; i++) {
            try {
                HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() / 100 == 2) {
                    return r;
                }
                String text = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
                IOException e = new IOException(request.method() + " " + request.uri().getPath() + " answered "
                        + r.statusCode() + ": " + (text.length() > 500 ? text.substring(0, 500) : text));
                if (r.statusCode() < 500) {
                    throw e;
                }
                last = e;
            } catch (java.net.ConnectException | java.net.http.HttpTimeoutException e) {
                last = e;
            }
            Thread.sleep(500L << i);
        }
        throw last;
    }
}
