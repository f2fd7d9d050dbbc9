package dev.reprise.cli.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.api.blobs.BlobRef;
import dev.reprise.api.blobs.BlobTransfer;
import dev.reprise.api.blobs.PresignedUpload;
import dev.reprise.api.blobs.UploadPlan;
import dev.reprise.api.snapshots.InvalidManifestException;
import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.Sha256;
import dev.reprise.api.snapshots.SnapshotManifest;
import dev.reprise.cli.client.ApiClient;
import dev.reprise.cli.client.Payload;
import dev.reprise.cli.client.Query;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * {@code reprise data push}: scan, hash, ask the orchestrator which blobs the store lacks, upload those, upload the
 * manifest, commit. The whole directory is scanned first (names, links, file types, permissions), so a directory that
 * cannot be pushed faithfully fails before anything is uploaded. Hashing and uploading then overlap: each batch of
 * hashed files is planned and uploaded while the next is hashed. A file that cannot be read after all fails the push
 * before the commit. An interrupted or failed push leaves only blobs behind, never a manifest; pushing again uploads
 * what is still missing.
 */
public final class SnapshotPush {

    /** Blobs asked about in one upload request at most (the server accepts up to 5000). */
    public static final int PLAN_BATCH = 1000;
    /** Content hashed before its batch is planned and uploaded, so uploads start early. */
    public static final long PLAN_BATCH_BYTES = 32L * 1024 * 1024;
    /**
     * Manifests up to this size are committed inline, in one request; larger ones are uploaded to the store first and
     * committed by id (the server's request body limit is 1 MiB).
     */
    public static final int INLINE_MANIFEST_BYTES = 512 * 1024;

    private static final String UPLOADS = "/api/v1/snapshots/uploads";
    private static final String SNAPSHOTS = "/api/v1/snapshots";

    private final ApiClient api;
    private final int hashThreads;
    private final int uploadThreads;
    private final Consumer<String> progress;
    private final int inlineManifestBytes;

    /** {@code progress} gets one line per phase with its duration (for {@code --verbose}). */
    public SnapshotPush(ApiClient api, int hashThreads, int uploadThreads, Consumer<String> progress) {
        this(api, hashThreads, uploadThreads, progress, INLINE_MANIFEST_BYTES);
    }

    SnapshotPush(ApiClient api, int hashThreads, int uploadThreads, Consumer<String> progress,
            int inlineManifestBytes) {
        this.api = api;
        this.hashThreads = hashThreads;
        this.uploadThreads = uploadThreads;
        this.progress = progress;
        this.inlineManifestBytes = inlineManifestBytes;
    }

    /** What a push did: the orchestrator's commit answer, and what had to be uploaded. */
    public record Result(JsonNode commit, SnapshotManifest manifest, int newBlobs, long newBytes) {
    }

    public Result push(Path dir, String name, String tag) {
        long start = System.nanoTime();
        List<LocalTree.LocalFile> files = LocalTree.scan(dir);
        progress.accept("scanned " + files.size() + " files in " + since(start));
        ExecutorService hashing = Executors.newFixedThreadPool(hashThreads, r -> {
            Thread t = new Thread(r, "reprise-hash");
            t.setDaemon(true);
            return t;
        });
        try (BlobUploader uploader = new BlobUploader(uploadThreads, Duration.ofMinutes(30))) {
            Transfer transfer = new Transfer(uploader);
            List<ManifestEntry> entries = transfer.hashAndUpload(files, FileHasher.submitAll(files, hashing));
            progress.accept("hashed " + files.size() + " files and uploaded " + transfer.newBlobs + " of "
                    + transfer.sourceOf.size() + " distinct blobs in " + since(start) + " (" + transfer.planningNanos
                    / 1_000_000 + " ms of it asking which are missing)");
            SnapshotManifest manifest;
            try {
                manifest = SnapshotManifest.of(entries);
            } catch (InvalidManifestException e) {
                throw new DataInputException("Cannot push " + dir + ": " + e.getMessage());
            }
            long committing = System.nanoTime();
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("name", name);
            fields.put("id", manifest.id());
            fields.put("tag", tag);
            boolean inline = manifest.canonicalBytes().length <= inlineManifestBytes;
            if (!inline) {
                uploadManifest(manifest, uploader);
            }
            JsonNode committed = api.post(SNAPSHOTS, Query.empty(), Optional.of(json(BlobTransfer.write(
                    BlobTransfer.manifestCommit(inline ? manifest.entries() : null, fields)))));
            progress.accept("committed in " + since(committing) + "; " + since(start) + " in all");
            return new Result(committed, manifest, transfer.newBlobs, transfer.newBytes);
        } finally {
            hashing.shutdownNow();
        }
    }

    /**
     * The hashed files, in order, with their new blobs planned and uploaded batch by batch as hashes come in. Planning
     * runs on its own thread, so neither hashing nor uploading waits for the orchestrator's answers.
     */
    private final class Transfer {
        private final BlobUploader uploader;
        private final ExecutorService planner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "reprise-plan");
            t.setDaemon(true);
            return t;
        });
        private final Map<String, LocalTree.LocalFile> sourceOf = new java.util.concurrent.ConcurrentHashMap<>();
        private final List<Future<?>> plans = new ArrayList<>();
        private final List<Future<?>> uploads = java.util.Collections.synchronizedList(new ArrayList<>());
        private Map<String, LocalTree.LocalFile> batch = new LinkedHashMap<>();
        private long batchBytes;
        private volatile int newBlobs;
        private volatile long newBytes;
        private volatile long planningNanos;

        Transfer(BlobUploader uploader) {
            this.uploader = uploader;
        }

        List<ManifestEntry> hashAndUpload(List<LocalTree.LocalFile> files, List<Future<ManifestEntry>> hashes) {
            try {
                List<ManifestEntry> entries = new ArrayList<>(files.size());
                List<String> problems = new ArrayList<>();
                for (int i = 0; i < files.size(); i++) {
                    ManifestEntry entry;
                    try {
                        entry = hashes.get(i).get();
                    } catch (ExecutionException e) {
                        problems.add(e.getCause().getMessage());
                        continue;
                    }
                    entries.add(entry);
                    if (problems.isEmpty() && sourceOf.putIfAbsent(entry.sha256(), files.get(i)) == null) {
                        batch.put(entry.sha256(), files.get(i));
                        batchBytes += entry.size();
                        if (batch.size() >= PLAN_BATCH || batchBytes >= PLAN_BATCH_BYTES) {
                            flush();
                        }
                    }
                }
                if (!problems.isEmpty()) {
                    cancel();
                    StringBuilder message = new StringBuilder("Cannot read " + problems.size() + " file"
                            + (problems.size() == 1 ? "" : "s") + "; nothing was committed (blobs uploaded so far "
                            + "are kept for the next push).");
                    problems.stream().limit(LocalTree.MAX_LISTED_PROBLEMS)
                            .forEach(p -> message.append("\n  ").append(p));
                    throw new DataInputException(message.toString());
                }
                flush();
                BlobUploader.awaitAll(plans);
                BlobUploader.awaitAll(List.copyOf(uploads));
                return entries;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
                throw new DataInputException("interrupted while hashing");
            } catch (RuntimeException e) {
                cancel();
                throw e;
            } finally {
                planner.shutdownNow();
            }
        }

        private void cancel() {
            plans.forEach(p -> p.cancel(true));
            List.copyOf(uploads).forEach(u -> u.cancel(true));
        }

        private void flush() {
            if (batch.isEmpty()) {
                return;
            }
            Map<String, LocalTree.LocalFile> planned = batch;
            batch = new LinkedHashMap<>();
            batchBytes = 0;
            plans.add(planner.submit(() -> {
                long asked = System.nanoTime();
                UploadPlan plan = plan(planned);
                planningNanos += System.nanoTime() - asked;
                for (PresignedUpload missing : plan.missing()) {
                    LocalTree.LocalFile f = planned.get(missing.sha256());
                    uploads.add(uploader.submit(new BlobUploader.Upload(missing, f.source(), f.path()), this::renew));
                    newBlobs++;
                    newBytes += f.size();
                }
                return null;
            }));
        }

        private BlobUploader.Upload renew(BlobUploader.Upload expired) {
            return plan(Map.of(expired.sha256(), sourceOf.get(expired.sha256()))).missing().stream().findFirst()
                    .map(missing -> new BlobUploader.Upload(missing, expired.source(), expired.what())).orElse(null);
        }
    }

    private void uploadManifest(SnapshotManifest manifest, BlobUploader uploader) {
        byte[] bytes = manifest.canonicalBytes();
        String sha = manifest.id().substring(Sha256.PREFIX.length());
        byte[] body = BlobTransfer.uploadRequest(List.of(), Optional.of(new BlobRef(sha, bytes.length)));
        Optional<PresignedUpload> upload = BlobTransfer.plan(api.post(UPLOADS, Query.empty(), Optional.of(json(body))))
                .manifest();
        if (upload.isEmpty()) {
            return;
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("reprise-manifest-", ".json");
            Files.write(tmp, bytes);
            uploader.uploadAll(List.of(new BlobUploader.Upload(upload.get(), tmp, "the manifest")), expired ->
                    BlobTransfer.plan(api.post(UPLOADS, Query.empty(), Optional.of(json(body)))).manifest()
                            .map(again -> new BlobUploader.Upload(again, expired.source(), expired.what()))
                            .orElse(null));
        } catch (IOException e) {
            throw new DataTransferException("cannot stage the manifest in a temporary file: " + e.getMessage(), false,
                    e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file; the OS cleans it up
                }
            }
        }
    }

    private UploadPlan plan(Map<String, LocalTree.LocalFile> blobs) {
        List<BlobRef> refs = new ArrayList<>();
        blobs.forEach((sha, f) -> refs.add(new BlobRef(sha, f.size())));
        return BlobTransfer.plan(api.post(UPLOADS, Query.empty(),
                Optional.of(json(BlobTransfer.uploadRequest(refs, Optional.empty())))));
    }

    private static String since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000 + " ms";
    }

    private static Payload json(byte[] body) {
        return new Payload("application/json", body);
    }
}
