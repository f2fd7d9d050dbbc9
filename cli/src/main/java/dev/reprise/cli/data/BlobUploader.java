package dev.reprise.cli.data;

import dev.reprise.api.blobs.PresignedUpload;
import dev.reprise.transfer.BlobPushException;
import dev.reprise.transfer.BlobPusher;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * PUTs blobs straight to the object store with the presigned URLs the orchestrator hands out, streaming each file from
 * disk, several at once. The URL's signature covers the SHA-256 header, so the store refuses bytes that are not the
 * hashed content (a file edited since it was hashed). Transient failures are retried; an expired URL is renewed.
 */
public final class BlobUploader implements AutoCloseable {

    /** One upload: the blob's bytes are in {@code source}; the URL and headers come from the orchestrator. */
    public record Upload(PresignedUpload target, Path source, String what) {

        public String sha256() {
            return target.sha256();
        }
    }

    private final BlobPusher pusher;
    private final ExecutorService pool;

    public BlobUploader(int parallelism, Duration timeout) {
        this.pusher = new BlobPusher(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build(), timeout);
        this.pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "reprise-upload");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the upload on the pool; {@code renew} gives a fresh upload for a blob whose URL expired (or null when
     * the store has the blob by now).
     */
    public Future<?> submit(Upload upload, Function<Upload, Upload> renew) {
        return pool.submit(() -> {
            upload(upload, renew);
            return null;
        });
    }

    /** Uploads all and waits for them. */
    public void uploadAll(List<Upload> uploads, Function<Upload, Upload> renew) {
        List<Future<?>> futures = new ArrayList<>();
        uploads.forEach(u -> futures.add(submit(u, renew)));
        awaitAll(futures);
    }

    /** Waits for the uploads; the first failure cancels the others and is thrown. */
    public static void awaitAll(List<Future<?>> futures) {
        try {
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    futures.forEach(other -> other.cancel(true));
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new DataTransferException("upload failed: " + e.getCause(), false, e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(other -> other.cancel(true));
            throw new DataTransferException("interrupted while uploading", false, e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private void upload(Upload upload, Function<Upload, Upload> renew) throws InterruptedException {
        try {
            pusher.push(upload.target(), upload.source(), upload.what(), expired -> Optional.ofNullable(
                    renew.apply(new Upload(expired, upload.source(), upload.what()))).map(Upload::target));
        } catch (BlobPushException e) {
            switch (e.kind()) {
                case FILE_GONE, CHANGED_SINCE_HASHED -> throw new DataInputException(e.getMessage() + "; push again");
                default -> throw new DataTransferException(e.getMessage(),
                        e.kind() == BlobPushException.Kind.UNREACHABLE, e.getCause());
            }
        }
    }
}
