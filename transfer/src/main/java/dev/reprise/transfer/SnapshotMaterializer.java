package dev.reprise.transfer;

import dev.reprise.api.snapshots.SnapshotManifest;
import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.Sha256;
import dev.reprise.api.snapshots.SnapshotVerificationException;
import dev.reprise.api.snapshots.InvalidManifestException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Writes a snapshot's files into a directory and proves them: every byte written is hashed on the way and compared with
 * the manifest, whose own hash must be the snapshot id. Used by {@code reprise data pull} and by the agent before the
 * training command starts.
 *
 * <p>Files already in place with the right size and hash are kept (only their mode is set). With a cache directory,
 * blobs are looked up there first ({@code CACHE/sha256/aa/<hex>}, verified again on use) and stored there after a
 * download. Each file is written to a temporary name in its own directory and renamed into place, so a reader never
 * sees a partial file. Blobs download in parallel; transient failures (I/O errors, HTTP 5xx) are retried, expired URLs
 * (HTTP 403) are renewed by fetching the listing again. Uses only {@code java.base}.
 */
public final class SnapshotMaterializer {

    /** Where the listing comes from; called again when presigned URLs have expired. */
    @FunctionalInterface
    public interface ListingSource {
        DownloadListing fetch() throws IOException, SnapshotVerificationException;
    }

    /**
     * What a materialisation did.
     *
     * @param reused     files that were already in place with the right content
     * @param fromCache  files copied from the cache directory
     * @param downloaded files fetched from the store (including copies of a blob listed under several paths)
     */
    public record Result(String id, int files, long bytes, int reused, int fromCache, int downloaded,
                         long downloadedBytes) {
    }

    private final int parallelism;
    private final BlobCache cache;
    private final BlobDownloads downloads;
    private final Consumer<String> warnings;

    public SnapshotMaterializer(int parallelism, Optional<Path> cacheDir, Duration connectTimeout,
                                Duration readTimeout, Consumer<String> warnings) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.parallelism = parallelism;
        this.cache = new BlobCache(cacheDir, warnings);
        this.downloads = new BlobDownloads(connectTimeout, readTimeout);
        this.warnings = warnings;
    }

    /** Fetches the listing at {@code url} with a plain GET (optionally with a bearer token). */
    public static ListingSource httpListing(URI url, Optional<String> token, Duration timeout) {
        return () -> {
            HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
            c.setConnectTimeout((int) timeout.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setRequestProperty("Accept", "application/json");
            token.ifPresent(t -> c.setRequestProperty("Authorization", "Bearer " + t));
            try {
                int status = c.getResponseCode();
                if (status == 200) {
                    try (InputStream in = c.getInputStream()) {
                        return DownloadListing.parse(in.readAllBytes());
                    } catch (InvalidManifestException e) {
                        throw new SnapshotVerificationException("the orchestrator at " + url + " sent no usable "
                                + "listing: " + e.getMessage());
                    }
                }
                String body = BlobDownloads.errorBody(c);
                if (status == 404) {
                    throw new SnapshotVerificationException("the orchestrator has no such snapshot (" + url + "): "
                            + body);
                }
                throw new IOException("the orchestrator answered HTTP " + status + " for " + url + ": " + body);
            } finally {
                c.disconnect();
            }
        };
    }

    /**
     * Materialises the snapshot into {@code target} (created if needed).
     *
     * @param expectedId the id the caller means; the listing's manifest must hash to it (null: accept the listing's)
     * @throws SnapshotVerificationException a blob is missing or corrupt, or the manifest is not the expected one
     * @throws IOException the store or the orchestrator cannot be reached, or the directory cannot be written
     */
    public Result materialize(String expectedId, ListingSource source, Path target)
            throws IOException, SnapshotVerificationException, InterruptedException {
        BlobDownloads.Listing listing = new BlobDownloads.Listing(source, source.fetch());
        SnapshotManifest manifest = listing.verify(expectedId);
        Files.createDirectories(target);
        Path root = target.toRealPath();
        SnapshotFiles.checkSpace(root, manifest);

        Map<String, List<ManifestEntry>> byBlob = new LinkedHashMap<>();
        manifest.entries().forEach(e -> byBlob.computeIfAbsent(e.sha256(), k -> new ArrayList<>()).add(e));
        Counters counters = new Counters();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, byBlob.size())), r -> {
            Thread t = new Thread(r, "reprise-snapshot-fetch");
            t.setDaemon(true);
            return t;
        });
        try {
            ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(pool);
            List<Future<Void>> futures = new ArrayList<>();
            for (List<ManifestEntry> group : byBlob.values()) {
                futures.add(done.submit(() -> {
                    materializeBlob(group, root, listing, counters);
                    return null;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                Future<Void> f = done.take();
                try {
                    f.get();
                } catch (ExecutionException e) {
                    futures.forEach(other -> other.cancel(true));
                    throw rethrow(e.getCause());
                } catch (CancellationException ignored) {
                    // only after a failure, which is being thrown
                }
            }
        } finally {
            // no download outlives the call: a failed one's siblings are interrupted and delete their temporary
            // files before this returns (or throws), so the caller may remove the directory at once
            pool.shutdownNow();
            if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                warnings.accept("downloads still running a minute after the snapshot's materialisation ended");
            }
        }
        return new Result(manifest.id(), manifest.fileCount(), manifest.totalBytes(), counters.reused.get(),
                counters.fromCache.get(), counters.downloaded.get(), counters.downloadedBytes.get());
    }

    private void materializeBlob(List<ManifestEntry> group, Path root, BlobDownloads.Listing listing, Counters counters)
            throws IOException, SnapshotVerificationException, InterruptedException {
        List<ManifestEntry> todo = new ArrayList<>();
        for (ManifestEntry e : group) {
            Path dest = SnapshotFiles.destination(root, e.path());
            if (SnapshotFiles.holds(dest, e)) {
                SnapshotFiles.setMode(dest, e.mode());
                counters.reused.incrementAndGet();
            } else {
                todo.add(e);
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        ManifestEntry first = todo.get(0);
        Path dest = SnapshotFiles.destination(root, first.path());
        Path tmp = cache.copyOut(first, dest.getParent());
        if (tmp != null) {
            counters.fromCache.incrementAndGet();
        } else {
            tmp = downloads.download(first, dest.getParent(), listing);
            counters.downloaded.incrementAndGet();
            counters.downloadedBytes.addAndGet(first.size());
        }
        SnapshotFiles.install(tmp, dest, first.mode());
        cache.store(dest, first);
        for (ManifestEntry other : todo.subList(1, todo.size())) {
            Path otherDest = SnapshotFiles.destination(root, other.path());
            Path copy = SnapshotFiles.temporary(otherDest.getParent(), other.sha256());
            try {
                Files.copy(dest, copy, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.deleteIfExists(copy);
                throw e;
            }
            SnapshotFiles.install(copy, otherDest, other.mode());
            counters.downloaded.incrementAndGet();
        }
    }

    private static RuntimeException rethrow(Throwable cause) throws IOException, SnapshotVerificationException,
            InterruptedException {
        if (cause instanceof SnapshotVerificationException e) {
            throw e;
        }
        if (cause instanceof IOException e) {
            throw e;
        }
        if (cause instanceof InterruptedException e) {
            throw e;
        }
        if (cause instanceof RuntimeException e) {
            throw e;
        }
        return new IllegalStateException(cause);
    }

    private static final class Counters {
        final AtomicInteger reused = new AtomicInteger();
        final AtomicInteger fromCache = new AtomicInteger();
        final AtomicInteger downloaded = new AtomicInteger();
        final AtomicLong downloadedBytes = new AtomicLong();
    }
}
