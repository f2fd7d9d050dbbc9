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

    private static final int MAX_ATTEMPTS = 4;
    private static final int MAX_LISTING_REFRESHES = 3;
    private static final int BUFFER = 256 * 1024;

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
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Consumer<String> warnings;

    public SnapshotMaterializer(int parallelism, Optional<Path> cacheDir, Duration connectTimeout,
                                Duration readTimeout, Consumer<String> warnings) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.parallelism = parallelism;
        this.cache = new BlobCache(cacheDir, warnings);
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
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
                String body = errorBody(c);
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
        Listing listing = new Listing(source, source.fetch());
        SnapshotManifest manifest = listing.verify(expectedId);
        Files.createDirectories(target);
        Path root = target.toRealPath();
        checkSpace(root, manifest);

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
            pool.shutdownNow();
        }
        return new Result(manifest.id(), manifest.fileCount(), manifest.totalBytes(), counters.reused.get(),
                counters.fromCache.get(), counters.downloaded.get(), counters.downloadedBytes.get());
    }

    private void materializeBlob(List<ManifestEntry> group, Path root, Listing listing, Counters counters)
            throws IOException, SnapshotVerificationException, InterruptedException {
        List<ManifestEntry> todo = new ArrayList<>();
        for (ManifestEntry e : group) {
            Path dest = destination(root, e.path());
            if (holds(dest, e)) {
                setMode(dest, e.mode());
                counters.reused.incrementAndGet();
            } else {
                todo.add(e);
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        ManifestEntry first = todo.get(0);
        Path dest = destination(root, first.path());
        Path tmp = cache.copyOut(first, dest.getParent());
        if (tmp != null) {
            counters.fromCache.incrementAndGet();
        } else {
            tmp = download(first, dest.getParent(), listing);
            counters.downloaded.incrementAndGet();
            counters.downloadedBytes.addAndGet(first.size());
        }
        install(tmp, dest, first.mode());
        cache.store(dest, first);
        for (ManifestEntry other : todo.subList(1, todo.size())) {
            Path otherDest = destination(root, other.path());
            Path copy = temporary(otherDest.getParent(), other.sha256());
            try {
                Files.copy(dest, copy, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.deleteIfExists(copy);
                throw e;
            }
            install(copy, otherDest, other.mode());
            counters.downloaded.incrementAndGet();
        }
    }

    /** The file's place under root, with its parent directories created and proven to lie inside root. */
    private static Path destination(Path root, String path) throws IOException {
        Path dest = root.resolve(path).normalize();
        if (!dest.startsWith(root) || dest.equals(root)) {
            throw new IOException("refusing to write '" + path + "' outside " + root);
        }
        Path parent = dest.getParent();
        try {
            Files.createDirectories(parent);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot create the directory for '" + path + "': " + e.getFile()
                    + " exists and is not a directory", e);
        }
        if (!parent.toRealPath().startsWith(root)) {
            throw new IOException("refusing to write '" + path + "': " + root.relativize(parent)
                    + " is a symbolic link leading outside " + root);
        }
        return dest;
    }

    private static boolean holds(Path file, ManifestEntry e) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != e.size()) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return Sha256.of(in).sha256().equals(e.sha256());
        }
    }

    private Path download(ManifestEntry e, Path dir, Listing listing)
            throws IOException, SnapshotVerificationException, InterruptedException {
        IOException last = null;
        int refreshes = 0;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            URI url = listing.url(e);
            Path tmp = temporary(dir, e.sha256());
            HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
            c.setConnectTimeout((int) connectTimeout.toMillis());
            c.setReadTimeout((int) readTimeout.toMillis());
            boolean keep = false;
            try {
                int status = c.getResponseCode();
                if (status == 404) {
                    errorBody(c);
                    throw new SnapshotVerificationException("blob sha256:" + e.sha256() + " of '" + e.path() + "' ("
                            + e.size() + " bytes) is missing from the store");
                }
                if (status == 403 && refreshes < MAX_LISTING_REFRESHES) {
                    errorBody(c);
                    refreshes++;
                    attempt--;
                    listing.refresh(url);
                    continue;
                }
                if (status != 200) {
                    throw new IOException("the store answered HTTP " + status + " for blob sha256:" + e.sha256()
                            + ": " + errorBody(c));
                }
                long declared = c.getContentLengthLong();
                if (declared >= 0 && declared != e.size()) {
                    errorBody(c);
                    throw new SnapshotVerificationException("blob sha256:" + e.sha256() + " of '" + e.path()
                            + "' is corrupt in the store: it holds " + declared + " bytes, the manifest records "
                            + e.size());
                }
                MessageDigest digest = Sha256.digest();
                long n;
                try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(tmp)) {
                    n = copy(in, out, digest, e.size() + 1);
                }
                if (n != e.size()) {
                    if (declared >= 0) {
                        throw new IOException("the transfer of blob sha256:" + e.sha256() + " ended after " + n
                                + " of " + e.size() + " bytes");
                    }
                    throw new SnapshotVerificationException("blob sha256:" + e.sha256() + " of '" + e.path()
                            + "' is corrupt in the store: it holds " + (n > e.size() ? "more than " : "") + n
                            + " bytes, the manifest records " + e.size());
                }
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(e.sha256())) {
                    throw new SnapshotVerificationException("blob sha256:" + e.sha256() + " of '" + e.path()
                            + "' is corrupt in the store: its content hashes to sha256:" + actual);
                }
                keep = true;
                return tmp;
            } catch (InterruptedIOException ex) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("download of " + e.path() + " cancelled");
                }
                last = ex;
            } catch (IOException ex) {
                last = ex;
            } finally {
                c.disconnect();
                if (!keep) {
                    Files.deleteIfExists(tmp);
                }
            }
            if (attempt < MAX_ATTEMPTS) {
                Thread.sleep(100L << (2 * (attempt - 1)));
            }
        }
        throw new IOException("cannot download blob sha256:" + e.sha256() + " of '" + e.path() + "' after "
                + MAX_ATTEMPTS + " attempts: " + (last == null ? "expired URLs" : last.getMessage()), last);
    }

    static long copy(InputStream in, OutputStream out, MessageDigest digest, long limit) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        for (int n; total < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total))) != -1; ) {
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    private static void install(Path tmp, Path dest, int mode) throws IOException {
        try {
            setMode(tmp, mode);
            move(tmp, dest);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    static void move(Path tmp, Path dest) throws IOException {
        try {
            Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static Path temporary(Path dir, String sha256) {
        return dir.resolve(".reprise-" + sha256.substring(0, 12) + "-" + UUID.randomUUID() + ".tmp");
    }

    private static void setMode(Path file, int mode) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                perms.add(order[bit]);
            }
        }
        try {
            Files.setPosixFilePermissions(file, perms);
        } catch (UnsupportedOperationException notPosix) {
            // e.g. a Windows file system: modes are not kept there
        }
    }

    private static void checkSpace(Path root, SnapshotManifest manifest) throws IOException {
        long needed = 0;
        for (ManifestEntry e : manifest.entries()) {
            Path p = root.resolve(e.path());
            if (!(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == e.size())) {
                needed += e.size();
            }
        }
        long free = Files.getFileStore(root).getUsableSpace();
        if (needed > free) {
            throw new IOException("not enough space in " + root + ": the snapshot needs " + needed
                    + " more bytes, " + free + " are free");
        }
    }

    private static String errorBody(HttpURLConnection c) {
        try (InputStream err = c.getErrorStream()) {
            if (err == null) {
                return "(no body)";
            }
            byte[] bytes = err.readNBytes(300);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
        } catch (IOException e) {
            return "(unreadable body)";
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

    /** The current listing; renewed (once per expired URL) when the store refuses an expired presigned URL. */
    private static final class Listing {
        private final ListingSource source;
        private volatile DownloadListing current;

        Listing(ListingSource source, DownloadListing first) {
            this.source = source;
            this.current = first;
        }

        SnapshotManifest verify(String expectedId) throws SnapshotVerificationException {
            SnapshotManifest manifest;
            try {
                manifest = current.manifest();
            } catch (InvalidManifestException e) {
                throw new SnapshotVerificationException("the orchestrator sent an invalid manifest for "
                        + current.id() + ": " + e.getMessage());
            }
            String actual = manifest.id();
            String wanted = expectedId != null ? expectedId : current.id();
            if (!actual.equals(wanted)) {
                throw new SnapshotVerificationException("the manifest served for " + wanted + " hashes to " + actual
                        + ": it is not the snapshot asked for");
            }
            for (ManifestEntry e : manifest.entries()) {
                if (!current.urls().containsKey(e.sha256())) {
                    throw new SnapshotVerificationException("the listing has no URL for blob sha256:" + e.sha256());
                }
            }
            return manifest;
        }

        URI url(ManifestEntry e) {
            return current.urls().get(e.sha256());
        }

        synchronized void refresh(URI expired) throws IOException, SnapshotVerificationException {
            if (current.urls().containsValue(expired)) {
                DownloadListing previous = current;
                current = source.fetch();
                verify(previous.id());
            }
        }
    }

    private static final class Counters {
        final AtomicInteger reused = new AtomicInteger();
        final AtomicInteger fromCache = new AtomicInteger();
        final AtomicInteger downloaded = new AtomicInteger();
        final AtomicLong downloadedBytes = new AtomicLong();
    }
}
