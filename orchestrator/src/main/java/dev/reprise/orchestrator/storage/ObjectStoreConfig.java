package dev.reprise.orchestrator.storage;

import io.smallrye.config.ConfigMapping;

/** Where the S3-compatible object store is and how to reach it. Credentials come from configuration only. */
@ConfigMapping(prefix = "reprise.s3")
public interface ObjectStoreConfig {

    String endpoint();

    String accessKey();

    String secretKey();

    String bucket();

    String region();
}
