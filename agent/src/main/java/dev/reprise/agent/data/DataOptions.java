package dev.reprise.agent.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which data snapshot to materialise before the training command starts, and where.
 *
 * @param manifestUrl the orchestrator's download endpoint of the snapshot ({@code --data-manifest-url},
 *                    {@code REPRISE_DATA_URL}); empty: the run has no data snapshot
 * @param snapshotId  the id the run was frozen to ({@code REPRISE_DATA_SNAPSHOT}); when given, the manifest must
 *                    hash to it, else the id in the URL path is used
 * @param dir         where the files go ({@code --data-dir}, {@code REPRISE_DATA_DIR}, default {@code /data})
 * @param cache       blobs kept between runs on this machine ({@code --data-cache}, {@code REPRISE_DATA_CACHE})
 */
public record DataOptions(Optional<URI> manifestUrl, Optional<String> snapshotId, Path dir, Optional<Path> cache) {

    public static final Path DEFAULT_DIR = Path.of("/data");

    public static DataOptions none() {
        return new DataOptions(Optional.empty(), Optional.empty(), DEFAULT_DIR, Optional.empty());
    }

    public boolean enabled() {
        return manifestUrl.isPresent();
    }
}
