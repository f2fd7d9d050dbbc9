package dev.reprise.orchestrator.storage.mlflow;

import dev.reprise.orchestrator.domain.error.ObjectStoreUnavailableException;
import dev.reprise.orchestrator.storage.ObjectStore;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Files logged through MLflow's artifact proxy, in the object store under
 * {@code mlflow-artifacts/EXPERIMENT/RUN/artifacts/PATH} (the path of the run's {@code artifact_uri}).
 */
@ApplicationScoped
public class MlflowArtifactStore {

    static final String PREFIX = "mlflow-artifacts/";

    /** One entry of a listing: a file with its size, or a directory. */
    public record Entry(String path, boolean dir, long size) {
    }

    private final ObjectStore store;

    public MlflowArtifactStore(ObjectStore store) {
        this.store = store;
    }

    public void put(String path, byte[] content) {
        try {
            store.ensureBucket();
            store.client().putObject(PutObjectArgs.builder().bucket(store.bucket()).object(PREFIX + path)
                    .stream(new ByteArrayInputStream(content), content.length, -1).build());
        } catch (Exception e) {
            throw unavailable("upload", e);
        }
    }

    /** The file's content, or empty when there is none. */
    public Optional<InputStream> get(String path) {
        try {
            store.client().statObject(StatObjectArgs.builder().bucket(store.bucket()).object(PREFIX + path).build());
            return Optional.of(store.client().getObject(GetObjectArgs.builder().bucket(store.bucket())
                    .object(PREFIX + path).build()));
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code()) || "NoSuchBucket".equals(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw unavailable("download", e);
        } catch (Exception e) {
            throw unavailable("download", e);
        }
    }

    /** The direct children of a directory path, paths relative to {@code root}. */
    public List<Entry> list(String root, String dir) {
        String prefix = PREFIX + dir + (dir.isEmpty() || dir.endsWith("/") ? "" : "/");
        List<Entry> out = new ArrayList<>();
        try {
            for (Result<Item> r : store.client().listObjects(ListObjectsArgs.builder().bucket(store.bucket())
                    .prefix(prefix).delimiter("/").build())) {
                Item i = r.get();
                String full = i.objectName().substring(PREFIX.length());
                String rel = full.startsWith(root + "/") ? full.substring(root.length() + 1) : full;
                boolean isDir = i.isDir();
                out.add(new Entry(isDir && rel.endsWith("/") ? rel.substring(0, rel.length() - 1) : rel, isDir,
                        isDir ? 0 : i.size()));
            }
        } catch (ErrorResponseException e) {
            if ("NoSuchBucket".equals(e.errorResponse().code())) {
                return out;
            }
            throw unavailable("list", e);
        } catch (Exception e) {
            throw unavailable("list", e);
        }
        return out;
    }

    public void delete(String path) {
        try {
            store.client().removeObject(RemoveObjectArgs.builder().bucket(store.bucket()).object(PREFIX + path)
                    .build());
        } catch (Exception e) {
            throw unavailable("delete", e);
        }
    }

    private static ObjectStoreUnavailableException unavailable(String what, Exception e) {
        return new ObjectStoreUnavailableException("object store: MLflow artifact " + what + " failed: "
                + e.getMessage(), e);
    }
}
