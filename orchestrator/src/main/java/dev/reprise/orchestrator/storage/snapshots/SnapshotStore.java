package dev.reprise.orchestrator.storage.snapshots;

import dev.reprise.api.snapshots.Sha256;
import dev.reprise.orchestrator.storage.ObjectStore;
import dev.reprise.orchestrator.storage.ObjectStoreConfig;
import dev.reprise.orchestrator.domain.error.ObjectStoreUnavailableException;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The snapshot layout in the bucket: blobs at {@code blobs/sha256/<aa>/<hex>}, committed manifests at
 * {@code manifests/sha256/<hex>.json}, manifests waiting to be committed at
 * {@code uploads/manifests/sha256/<hex>.json}.
 * Clients never hold credentials: they get presigned URLs, and upload URLs carry the content's SHA-256 as a signed
 * {@code x-amz-checksum-sha256} header, so the store itself refuses bytes that do not match their address.
 */
@ApplicationScoped
public class SnapshotStore {

    /** The header an upload must send, with the base64 SHA-256 of its body; part of the URL's signature. */
    public static final String CHECKSUM_HEADER = "x-amz-checksum-sha256";

    private final ObjectStore store;
    private final MinioClient presigner;
    private final ExecutorService statPool;
    private volatile boolean bucketChecked;

    public SnapshotStore(ObjectStore store, ObjectStoreConfig s3, SnapshotConfig config) {
        this.store = store;
        this.presigner = config.presignEndpoint()
                .map(endpoint -> MinioClient.builder()
                        .endpoint(endpoint)
                        .credentials(s3.accessKey(), s3.secretKey())
                        .region(s3.region())
                        .build())
                .orElse(store.client());
        this.statPool = Executors.newFixedThreadPool(config.statParallelism(), r -> {
            Thread t = new Thread(r, "reprise-snapshot-stat");
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        statPool.shutdownNow();
    }

    public static String blobKey(String sha256) {
        return "blobs/sha256/" + sha256.substring(0, 2) + "/" + sha256;
    }

    public static String manifestKey(String sha256) {
        return "manifests/sha256/" + sha256 + ".json";
    }

    public static String stagedManifestKey(String sha256) {
        return "uploads/manifests/sha256/" + sha256 + ".json";
    }

    /** The size of the object, or empty when there is none. */
    public Optional<Long> size(String key) {
        ensureBucket();
        try {
            return Optional.of(store.client().statObject(StatObjectArgs.builder().bucket(store.bucket()).object(key)
                    .build()).size());
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code()) || "NoSuchObject".equals(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw unavailable("stat " + key, e);
        } catch (Exception e) {
            throw unavailable("stat " + key, e);
        }
    }

    /** When the object was last written, or empty when there is none. */
    public Optional<Instant> lastModified(String key) {
        ensureBucket();
        try {
            return Optional.of(store.client().statObject(StatObjectArgs.builder().bucket(store.bucket()).object(key)
                    .build()).lastModified().toInstant());
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code()) || "NoSuchObject".equals(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw unavailable("stat " + key, e);
        } catch (Exception e) {
            throw unavailable("stat " + key, e);
        }
    }

    /** The sizes of those objects that exist, looked up in parallel. */
    public Map<String, Long> sizes(Collection<String> keys) {
        ensureBucket();
        Map<String, Long> found = new ConcurrentHashMap<>();
        List<Future<?>> futures = new ArrayList<>(keys.size());
        for (String key : keys) {
            futures.add(statPool.submit(() -> size(key).ifPresent(s -> found.put(key, s))));
        }
        try {
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw unavailable("stat", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(f -> f.cancel(true));
            throw unavailable("stat", e);
        } catch (java.util.concurrent.TimeoutException e) {
            futures.forEach(f -> f.cancel(true));
            throw unavailable("stat", e);
        }
        return found;
    }

    /** A URL that accepts a PUT of exactly the bytes whose SHA-256 is {@code sha256}, until it expires. */
    public String presignPut(String key, String sha256, Duration expiry) {
        try {
            return presigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(Method.PUT)
                    .bucket(store.bucket())
                    .object(key)
                    .expiry((int) expiry.toSeconds(), TimeUnit.SECONDS)
                    .extraHeaders(Map.of(CHECKSUM_HEADER, Sha256.base64(sha256)))
                    .build());
        } catch (Exception e) {
            throw unavailable("presign PUT " + key, e);
        }
    }

    /** {@code attachment}, with an RFC 6266 file name (UTF-8, percent-encoded) when there is one. */
    static String attachment(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            return "attachment";
        }
        String name = fileName.substring(fileName.lastIndexOf('/') + 1);
        StringBuilder encoded = new StringBuilder();
        for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(String.format("%02X", c));
            }
        }
        return "attachment; filename*=UTF-8''" + encoded;
    }

    /** Headers an upload to a {@link #presignPut} URL must carry. */
    public static Map<String, String> uploadHeaders(String sha256) {
        return Map.of(CHECKSUM_HEADER, Sha256.base64(sha256));
    }

    /**
     * A URL that reads the object until it expires. The store answers it as a download, whatever type the uploader
     * gave the object: {@code Content-Type: application/octet-stream} and {@code Content-Disposition: attachment}
     * (with {@code fileName} when given), signed into the URL (response-content-type, response-content-disposition),
     * so an uploaded HTML file is never rendered as a page of the store's origin.
     */
    public String presignGet(String key, Duration expiry) {
        return presignGet(key, expiry, null);
    }

    /** As {@link #presignGet(String, Duration)}, saved under {@code fileName} (the last segment of a path). */
    public String presignGet(String key, Duration expiry, String fileName) {
        try {
            return presigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(Method.GET)
                    .bucket(store.bucket())
                    .object(key)
                    .expiry((int) expiry.toSeconds(), TimeUnit.SECONDS)
                    .extraQueryParams(Map.of("response-content-type", "application/octet-stream",
                            "response-content-disposition", attachment(fileName)))
                    .build());
        } catch (Exception e) {
            throw unavailable("presign GET " + key, e);
        }
    }

    /** The object's bytes, or empty when there is none. Callers check the size first. */
    public Optional<byte[]> read(String key) {
        ensureBucket();
        try (InputStream in = store.client().getObject(GetObjectArgs.builder().bucket(store.bucket()).object(key)
                .build())) {
            return Optional.of(in.readAllBytes());
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw unavailable("get " + key, e);
        } catch (Exception e) {
            throw unavailable("get " + key, e);
        }
    }

    public void write(String key, byte[] bytes, String contentType) {
        ensureBucket();
        try {
            store.client().putObject(PutObjectArgs.builder()
                    .bucket(store.bucket())
                    .object(key)
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1)
                    .contentType(contentType)
                    .build());
        } catch (Exception e) {
            throw unavailable("put " + key, e);
        }
    }

    /** Streams a file into the object store. */
    public void writeFile(String key, java.nio.file.Path file, String contentType) {
        ensureBucket();
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            store.client().putObject(PutObjectArgs.builder()
                    .bucket(store.bucket())
                    .object(key)
                    .stream(in, java.nio.file.Files.size(file), -1)
                    .contentType(contentType)
                    .build());
        } catch (Exception e) {
            throw unavailable("put " + key, e);
        }
    }

    public void remove(String key) {
        ensureBucket();
        try {
            store.client().removeObject(RemoveObjectArgs.builder().bucket(store.bucket()).object(key).build());
        } catch (Exception e) {
            throw unavailable("remove " + key, e);
        }
    }

    private void ensureBucket() {
        if (bucketChecked) {
            return;
        }
        try {
            store.ensureBucket();
            bucketChecked = true;
        } catch (Exception e) {
            throw unavailable("check bucket " + store.bucket(), e);
        }
    }

    private static ObjectStoreUnavailableException unavailable(String what, Throwable e) {
        return new ObjectStoreUnavailableException("object store: " + what + " failed: " + e.getMessage(), e);
    }
}
