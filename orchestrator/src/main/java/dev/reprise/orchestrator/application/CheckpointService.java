package dev.reprise.orchestrator.application;

import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.SnapshotManifest;
import dev.reprise.orchestrator.domain.error.InvalidSnapshotException;
import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.persistence.CheckpointRepository;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.storage.snapshots.SnapshotConfig;
import dev.reprise.orchestrator.storage.snapshots.SnapshotStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Checkpoints that outlive attempts (docs/checkpoints.md). The agent uploads each complete checkpoint directory
 * ({@code step-N/} with its {@value #COMPLETE} marker) with the artifact blob protocol: it asks which blobs are
 * missing, PUTs them to presigned URLs (the store checks each SHA-256), then commits the manifest here, which is
 * recorded only when every blob is present with its size and the run's own. A later attempt of the run gets the
 * newest recorded checkpoint back as a download listing, which the agent verifies byte by byte before the command
 * starts. The newest {@link CheckpointConfig#keep()} checkpoints are kept, the total capped per run.
 */
@ApplicationScoped
public class CheckpointService {

    /** The marker file a trainer writes last into {@code step-N/}: the checkpoint is complete. */
    public static final String COMPLETE = "COMPLETE";

    private static final Logger LOG = Logger.getLogger(CheckpointService.class);

    private final ArtifactService artifacts;
    private final SnapshotService snapshots;
    private final SnapshotStore store;
    private final SnapshotConfig snapshotConfig;
    private final CheckpointRepository checkpoints;
    private final CheckpointConfig config;

    public CheckpointService(ArtifactService artifacts, SnapshotService snapshots, SnapshotStore store,
            SnapshotConfig snapshotConfig, CheckpointRepository checkpoints, CheckpointConfig config) {
        this.artifacts = artifacts;
        this.snapshots = snapshots;
        this.store = store;
        this.snapshotConfig = snapshotConfig;
        this.checkpoints = checkpoints;
        this.config = config;
    }

    /** A checkpoint to restore: the newest recorded, with a presigned GET URL per blob. */
    public record Restore(CheckpointRepository.Checkpoint checkpoint, SnapshotManifest manifest,
            Map<String, String> urls, Instant expiresAt) {
    }

    /** Which of the checkpoint's blobs to upload; refused when the run's kept checkpoints would pass the cap. */
    public dev.reprise.api.blobs.UploadPlan planUploads(long runId, int attempt, long step,
            List<dev.reprise.api.blobs.BlobRef> blobs) {
        artifacts.attemptOf(runId, attempt);
        Map<String, Long> unique = new HashMap<>();
        blobs.forEach(b -> unique.putIfAbsent(b.sha256(), b.size()));
        requireWithinCap(runId, step, unique.values().stream().mapToLong(Long::longValue).sum(), "blobs");
        return artifacts.planUploads(runId, attempt, blobs);
    }

    /**
     * Records checkpoint {@code step} of the attempt once every file is in the store and the run's own, then deletes
     * all but the newest {@link CheckpointConfig#keep()}.
     */
    @Transactional
    public CheckpointRepository.Checkpoint commit(long runId, int attempt, long step, List<ManifestEntry> entries) {
        RunEntity run = artifacts.attemptOf(runId, attempt);
        if (entries.stream().noneMatch(e -> COMPLETE.equals(e.path()))) {
            throw new InvalidSnapshotException("manifest.entries", "a checkpoint is complete only with its "
                    + COMPLETE + " marker file, which the manifest does not list");
        }
        SnapshotManifest manifest = artifacts.requireOwnedBlobs(run, entries);
        requireWithinCap(runId, step, manifest.totalBytes(), "manifest.entries");
        Instant now = Instant.now();
        checkpoints.record(runId, step, attempt, manifest, now);
        List<Long> dropped = checkpoints.retain(runId, Math.max(1, config.keep()));
        if (!dropped.isEmpty()) {
            LOG.debugf("run %s: checkpoints of steps %s dropped (reprise.checkpoints.keep = %s)", (Object) runId, dropped,
                    config.keep());
        }
        return new CheckpointRepository.Checkpoint(runId, step, attempt, manifest.id(), manifest.fileCount(),
                manifest.totalBytes(), now);
    }

    /** The run's newest complete checkpoint with download URLs, for the agent of a later attempt. */
    public Restore latest(long runId, int attempt) {
        artifacts.attemptOf(runId, attempt);
        CheckpointRepository.Checkpoint newest = checkpoints.list(runId).stream().findFirst()
                .orElseThrow(() -> new NotFoundException("run " + runId + " has no checkpoint"));
        SnapshotManifest manifest = checkpoints.manifest(runId, newest.step()).orElseThrow(
                () -> new NotFoundException("run " + runId + " has no checkpoint of step " + newest.step()));
        Map<String, String> urls = new HashMap<>();
        for (ManifestEntry e : manifest.entries()) {
            urls.computeIfAbsent(e.sha256(), sha -> store.presignGet(SnapshotStore.blobKey(sha),
                    snapshotConfig.downloadUrlExpiry()));
        }
        return new Restore(newest, manifest, urls, Instant.now().plus(snapshotConfig.downloadUrlExpiry()));
    }

    /** Records that the attempt's agent restored checkpoint {@code step} (its series continues from there). */
    @Transactional
    public CheckpointRepository.Checkpoint restored(long runId, int attempt, long step) {
        artifacts.attemptOf(runId, attempt);
        CheckpointRepository.Checkpoint c = checkpoints.list(runId).stream().filter(k -> k.step() == step)
                .findFirst().orElseThrow(() -> new NotFoundException("run " + runId + " has no checkpoint of step "
                        + step));
        if (c.attempt() >= attempt) {
            throw new InvalidSnapshotException("step", "checkpoint of step " + step + " was written by attempt "
                    + c.attempt() + ", not by an earlier one than " + attempt);
        }
        checkpoints.resumed(runId, attempt, step, c.attempt());
        return c;
    }

    /** The run's kept checkpoints, newest first. */
    public List<CheckpointRepository.Checkpoint> list(long runId) {
        artifacts.run(runId);
        return checkpoints.list(runId);
    }

    private void requireWithinCap(long runId, long step, long bytes, String field) {
        long cap = config.maxRunSize().asLongValue();
        long kept = checkpoints.list(runId).stream().filter(c -> c.step() != step)
                .limit(Math.max(0, config.keep() - 1L)).mapToLong(CheckpointRepository.Checkpoint::totalBytes).sum();
        if (bytes + kept > cap) {
            throw new InvalidSnapshotException(field, "checkpoint step-" + step + " (" + bytes + " bytes) would "
                    + "bring run " + runId + "'s kept checkpoints to " + (bytes + kept) + " bytes, over the cap of "
                    + cap + " bytes (reprise.checkpoints.max-run-size); it was not stored: save smaller checkpoints "
                    + "or ask for a larger cap");
        }
    }
}
