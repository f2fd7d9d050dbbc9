package dev.reprise.orchestrator.application;

import dev.reprise.api.blobs.BlobRef;
import dev.reprise.api.blobs.PresignedUpload;
import dev.reprise.api.blobs.UploadPlan;
import dev.reprise.api.snapshots.Sha256;
import dev.reprise.orchestrator.domain.error.FieldError;
import dev.reprise.orchestrator.domain.error.InvalidSnapshotException;
import dev.reprise.orchestrator.persistence.SnapshotRepository;
import dev.reprise.orchestrator.storage.snapshots.SnapshotConfig;
import dev.reprise.orchestrator.storage.snapshots.SnapshotStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The first step of the blob transfer protocol for snapshots and artifacts alike: which of the blobs a client asks about
 * (and the manifest) the store lacks, each with a presigned upload URL. Checks every blob reference (hash, size
 * limits) and names the bad ones by field.
 */
@ApplicationScoped
public class SnapshotUploads {

    private final SnapshotStore store;
    private final SnapshotRepository repository;
    private final SnapshotConfig config;

    public SnapshotUploads(SnapshotStore store, SnapshotRepository repository, SnapshotConfig config) {
        this.store = store;
        this.repository = repository;
        this.config = config;
    }

    /** Which of the blobs (and the manifest) the store lacks, with an upload URL for each. */
    public UploadPlan plan(List<BlobRef> blobs, BlobRef manifest) {
        if (blobs.size() > config.maxBlobsPerRequest()) {
            throw new InvalidSnapshotException("blobs", "at most " + config.maxBlobsPerRequest()
                    + " blobs per request, not " + blobs.size() + "; ask about the rest in further requests");
        }
        List<FieldError> errors = new ArrayList<>();
        Map<String, Long> wanted = new LinkedHashMap<>();
        for (int i = 0; i < blobs.size(); i++) {
            BlobRef b = blobs.get(i);
            checkBlob("blobs[" + i + "]", b, config.maxBlobSize().asLongValue(), errors);
            if (Sha256.isHex(b.sha256())) {
                Long before = wanted.putIfAbsent(b.sha256(), b.size());
                if (before != null && before != b.size()) {
                    errors.add(new FieldError("blobs[" + i + "].size", "blob " + b.sha256() + " is listed with sizes "
                            + before + " and " + b.size()));
                }
            }
        }
        if (manifest != null) {
            checkBlob("manifest", manifest, config.maxManifestSize().asLongValue(), errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidSnapshotException(errors.size() + " problem" + (errors.size() == 1 ? "" : "s") + " in the upload request", errors);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        wanted.keySet().forEach(sha -> keys.put(SnapshotStore.blobKey(sha), sha));
        Map<String, Long> have = store.sizes(keys.keySet());
        Instant expiresAt = Instant.now().plus(config.uploadUrlExpiry());
        List<PresignedUpload> missing = new ArrayList<>();
        keys.forEach((key, sha) -> {
            long size = wanted.get(sha);
            if (!Long.valueOf(size).equals(have.get(key))) {
                missing.add(new PresignedUpload(sha, size, store.presignPut(key, sha, config.uploadUrlExpiry()),
                        SnapshotStore.uploadHeaders(sha)));
            }
        });
        Optional<PresignedUpload> manifestUpload = Optional.empty();
        if (manifest != null && !manifestAvailable(manifest)) {
            manifestUpload = Optional.of(new PresignedUpload(manifest.sha256(), manifest.size(),
                    store.presignPut(SnapshotStore.stagedManifestKey(manifest.sha256()), manifest.sha256(),
                            config.uploadUrlExpiry()),
                    SnapshotStore.uploadHeaders(manifest.sha256())));
        }
        return new UploadPlan(missing, wanted.size() - missing.size(), manifestUpload, expiresAt);
    }

    private boolean manifestAvailable(BlobRef manifest) {
        String id = Sha256.PREFIX + manifest.sha256();
        if (repository.findByIdOptional(id).isPresent()) {
            return true;
        }
        Long size = manifest.size();
        return size.equals(store.size(SnapshotStore.stagedManifestKey(manifest.sha256())).orElse(null))
                || size.equals(store.size(SnapshotStore.manifestKey(manifest.sha256())).orElse(null));
    }

    private static void checkBlob(String field, BlobRef b, long maxSize, List<FieldError> errors) {
        if (!Sha256.isHex(b.sha256())) {
            errors.add(new FieldError(field + ".sha256", "must be 64 lowercase hex digits"));
        }
        if (b.size() < 0) {
            errors.add(new FieldError(field + ".size", "must not be negative"));
        } else if (b.size() > maxSize) {
            errors.add(new FieldError(field + ".size", b.size() + " bytes is more than the limit of " + maxSize));
        }
    }
}
