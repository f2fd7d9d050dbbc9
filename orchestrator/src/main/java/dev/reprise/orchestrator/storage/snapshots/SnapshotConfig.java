package dev.reprise.orchestrator.storage.snapshots;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of data snapshots ({@code reprise.snapshots.*}); the bucket and credentials are {@code reprise.s3.*}. */
@ConfigMapping(prefix = "reprise.snapshots")
public interface SnapshotConfig {

    /** How long a presigned upload URL stays valid; a push asks again for what it has not uploaded in time. */
    @WithDefault("15m")
    Duration uploadUrlExpiry();

    /** How long a presigned download URL stays valid; pull and the agent fetch new ones when theirs expire. */
    @WithDefault("1h")
    Duration downloadUrlExpiry();

    /**
     * The S3 endpoint written into presigned URLs, when clients and trials reach the store at another address than
     * the orchestrator does (e.g. a public host name). Default: {@code reprise.s3.endpoint}.
     */
    Optional<String> presignEndpoint();

    /** Most blobs one upload request may ask about. */
    @WithDefault("5000")
    int maxBlobsPerRequest();

    /** Largest file a snapshot may hold: one presigned PUT carries at most 5 GiB. */
    @WithDefault("5G")
    MemorySize maxBlobSize();

    /** Largest manifest accepted (about 150 bytes per file). */
    @WithDefault("256M")
    MemorySize maxManifestSize();

    /** Object-store requests run at once when checking which blobs exist. */
    @WithDefault("16")
    int statParallelism();

    /**
     * The orchestrator's base URL as trials see it, for {@code REPRISE_DATA_URL}. Default:
     * {@code http://127.0.0.1:<quarkus.http.port>}, right for the local executor only.
     */
    Optional<String> agentApiUrl();
}
