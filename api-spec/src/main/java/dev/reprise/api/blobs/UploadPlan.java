package dev.reprise.api.blobs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The answer to an upload request: the blobs the store lacks with their presigned uploads (blobs it has are not
 * listed), how many of those asked about it has, the manifest's upload when one was asked about and is needed, and
 * when the URLs expire.
 */
public record UploadPlan(List<PresignedUpload> missing, int present, Optional<PresignedUpload> manifest,
                         Instant expiresAt) {

    public UploadPlan {
        missing = List.copyOf(missing);
    }
}
