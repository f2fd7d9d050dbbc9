package dev.reprise.orchestrator.storage;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * The S3-compatible store holding data snapshots, artifacts and archived logs. Owns the MinIO client and the
 * bucket; later features add content-addressed objects on top.
 */
@ApplicationScoped
public class ObjectStore {

    private final MinioClient client;
    private final String bucket;
    private final String region;

    public ObjectStore(ObjectStoreConfig config) {
        this.client = MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .build();
        this.client.setTimeout(TimeUnit.SECONDS.toMillis(5), TimeUnit.SECONDS.toMillis(60),
                TimeUnit.SECONDS.toMillis(60));
        this.bucket = config.bucket();
        this.region = config.region();
    }

    public MinioClient client() {
        return client;
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket unless it exists; safe to call concurrently and repeatedly. */
    public void ensureBucket() throws Exception {
        if (client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            return;
        }
        try {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).region(region).build());
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                throw e;
            }
        }
    }
}
