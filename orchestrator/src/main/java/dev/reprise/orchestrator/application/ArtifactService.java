package dev.reprise.orchestrator.application;

import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.SnapshotManifest;
import dev.reprise.api.snapshots.SnapshotPaths;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.domain.error.ConflictException;
import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.persistence.ArtifactRepository;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.storage.snapshots.SnapshotConfig;
import dev.reprise.orchestrator.storage.snapshots.SnapshotStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A run attempt's output directory in the object store. The agent uploads it with the snapshot blob protocol: it
 * asks which blobs are missing (presigned PUT URLs, checked by SHA-256), uploads them, and commits the manifest,
 * which this service checks (canonical paths, every blob present with its size), stores at
 * {@code artifacts/runs/<run>/<attempt>/manifest.json} and lists in the database.
 */
@ApplicationScoped
public class ArtifactService {

    private final SnapshotService snapshots;
    private final SnapshotStore store;
    private final SnapshotConfig config;
    private final RunRepository runs;
    private final ArtifactRepository artifacts;

    public ArtifactService(SnapshotService snapshots, SnapshotStore store, SnapshotConfig config, RunRepository runs,
            ArtifactRepository artifacts) {
        this.snapshots = snapshots;
        this.store = store;
        this.config = config;
        this.runs = runs;
        this.artifacts = artifacts;
    }

    /** What an artifact listing shows: the attempt's files, or none yet, and the archived logs. */
    public record Listing(long runId, Optional<ArtifactRepository.ArtifactSet> set, List<ManifestEntry> files,
            List<ArtifactRepository.LogArchive> logs) {
    }

    public static String manifestKey(long runId, int attempt) {
        return "artifacts/runs/" + runId + "/" + attempt + "/manifest.json";
    }

    /** Which of the attempt's blobs the store lacks, with upload URLs. */
    public SnapshotService.UploadPlan planUploads(long runId, int attempt, List<SnapshotService.BlobRef> blobs) {
        attemptOf(runId, attempt);
        return snapshots.planUploads(blobs, null);
    }

    /** Records the attempt's artifacts once every blob is in the store; a second commit replaces the first. */
    @Transactional
    public ArtifactRepository.ArtifactSet commit(long runId, int attempt, List<ManifestEntry> entries) {
        attemptOf(runId, attempt);
        SnapshotManifest manifest = SnapshotService.fromEntries(entries);
        snapshots.verifyBlobs(manifest, entries);
        store.write(manifestKey(runId, attempt), manifest.canonicalBytes(), "application/json");
        Instant now = Instant.now();
        artifacts.replace(runId, attempt, manifest.id(), manifest.entries(), manifest.totalBytes(), now);
        return new ArtifactRepository.ArtifactSet(runId, attempt, manifest.id(), manifest.fileCount(),
                manifest.totalBytes(), now);
    }

    /** The files of {@code attempt} (null: the newest attempt that uploaded any) and the run's archived logs. */
    public Listing list(long runId, Integer attempt) {
        run(runId);
        Optional<ArtifactRepository.ArtifactSet> set = artifacts.set(runId, attempt);
        return new Listing(runId, set, set.map(s -> artifacts.files(runId, s.attempt())).orElse(List.of()),
                artifacts.logArchives(runId));
    }

    /** A presigned GET URL for one file; the path is checked like a snapshot path (no traversal). */
    public String downloadUrl(long runId, Integer attempt, String path) {
        run(runId);
        Optional<String> problem = SnapshotPaths.problem(path);
        if (problem.isPresent()) {
            throw new BadInputException("path", "'" + path + "' " + problem.get());
        }
        ArtifactRepository.ArtifactSet set = artifacts.set(runId, attempt).orElseThrow(() -> new NotFoundException(
                "run " + runId + (attempt == null ? "" : " attempt " + attempt) + " has no artifacts"));
        ManifestEntry file = artifacts.file(runId, set.attempt(), path).orElseThrow(() -> new NotFoundException(
                "run " + runId + " attempt " + set.attempt() + " has no artifact '" + path + "'"));
        return store.presignGet(SnapshotStore.blobKey(file.sha256()), config.downloadUrlExpiry());
    }

    /** A presigned GET URL for one attempt's archived log (gzip). */
    public String logUrl(long runId, int attempt) {
        run(runId);
        return artifacts.logArchives(runId).stream().filter(l -> l.attempt() == attempt).findFirst()
                .map(l -> store.presignGet(l.objectKey(), config.downloadUrlExpiry()))
                .orElseThrow(() -> new NotFoundException("run " + runId + " attempt " + attempt
                        + " has no archived log (logs are archived shortly after an attempt ends)"));
    }

    private RunEntity run(long runId) {
        return runs.findByIdOptional(runId).orElseThrow(() -> new NotFoundException("run", runId));
    }

    private void attemptOf(long runId, int attempt) {
        RunEntity run = run(runId);
        if (attempt < 0 || attempt > run.attempt) {
            throw new ConflictException("run " + runId + " has no attempt " + attempt + " (its current attempt is "
                    + run.attempt + ")", "attempt");
        }
    }
}
