package dev.reprise.orchestrator.application;

import dev.reprise.api.blobs.BlobRef;
import dev.reprise.api.blobs.PresignedUpload;
import dev.reprise.api.blobs.UploadPlan;

import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.SnapshotManifest;
import dev.reprise.api.snapshots.SnapshotPaths;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.domain.error.ConflictException;
import dev.reprise.orchestrator.domain.error.FieldError;
import dev.reprise.orchestrator.domain.error.InvalidSnapshotException;
import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.persistence.ArtifactRepository;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.SweepRepository;
import dev.reprise.orchestrator.storage.snapshots.SnapshotConfig;
import dev.reprise.orchestrator.storage.snapshots.SnapshotStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
    private final SweepRepository sweeps;
    private final dev.reprise.orchestrator.persistence.CheckpointRepository checkpoints;

    /** Tolerated difference between the object store's clock and this one. */
    private static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofSeconds(5);

    public ArtifactService(SnapshotService snapshots, SnapshotStore store, SnapshotConfig config, RunRepository runs,
            ArtifactRepository artifacts, SweepRepository sweeps,
            dev.reprise.orchestrator.persistence.CheckpointRepository checkpoints) {
        this.sweeps = sweeps;
        this.checkpoints = checkpoints;
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

    /**
     * Which of the attempt's blobs it must upload, with upload URLs: those the store lacks, and those it has but the
     * run cannot show it owns (see {@link #ownBlobs}): naming a hash is no proof of having the bytes, so a run
     * uploads every blob that is not already its own.
     */
    public UploadPlan planUploads(long runId, int attempt, List<BlobRef> blobs) {
        RunEntity run = attemptOf(runId, attempt);
        UploadPlan plan = snapshots.planUploads(blobs, null);
        Set<String> missing = new HashSet<>();
        plan.missing().forEach(u -> missing.add(u.sha256()));
        Map<String, Long> present = new LinkedHashMap<>();
        blobs.forEach(b -> {
            if (!missing.contains(b.sha256())) {
                present.putIfAbsent(b.sha256(), b.size());
            }
        });
        Set<String> own = ownBlobs(run, present.keySet());
        List<PresignedUpload> uploads = new ArrayList<>(plan.missing());
        present.forEach((sha, size) -> {
            if (!own.contains(sha)) {
                uploads.add(new PresignedUpload(sha, size, store.presignPut(SnapshotStore.blobKey(sha), sha,
                        config.uploadUrlExpiry()), SnapshotStore.uploadHeaders(sha)));
            }
        });
        return new UploadPlan(uploads, plan.present() - (uploads.size() - plan.missing().size()),
                plan.manifest(), plan.expiresAt());
    }

    /**
     * Records the attempt's artifacts once every blob is in the store and the run's own; a second commit replaces the
     * first. A manifest naming a blob of someone else's (another project's output or data) is refused: it would
     * let the run read bytes it never had.
     */
    @Transactional
    public ArtifactRepository.ArtifactSet commit(long runId, int attempt, List<ManifestEntry> entries) {
        RunEntity run = attemptOf(runId, attempt);
        SnapshotManifest manifest = requireOwnedBlobs(run, entries);
        store.write(manifestKey(runId, attempt), manifest.canonicalBytes(), "application/json");
        Instant now = Instant.now();
        artifacts.replace(runId, attempt, manifest.id(), manifest.entries(), manifest.totalBytes(), now);
        return new ArtifactRepository.ArtifactSet(runId, attempt, manifest.id(), manifest.fileCount(),
                manifest.totalBytes(), now);
    }

    /**
     * The manifest of {@code entries} once every blob is in the store with its size and the run's own (see
     * {@link #ownBlobs}); artifacts and checkpoints are committed only through this check.
     */
    public SnapshotManifest requireOwnedBlobs(RunEntity run, List<ManifestEntry> entries) {
        SnapshotManifest manifest = SnapshotService.fromEntries(entries);
        snapshots.verifyBlobs(manifest, entries);
        Set<String> named = new HashSet<>();
        manifest.entries().forEach(e -> named.add(e.sha256()));
        Set<String> own = ownBlobs(run, named);
        List<FieldError> foreign = new ArrayList<>();
        for (int i = 0; i < entries.size() && foreign.size() < 20; i++) {
            if (!own.contains(entries.get(i).sha256())) {
                foreign.add(new FieldError("manifest.entries[" + i + "].sha256", "blob sha256:"
                        + entries.get(i).sha256() + " was not uploaded by this run nor is it in its data snapshot"));
            }
        }
        if (!foreign.isEmpty()) {
            throw new InvalidSnapshotException(foreign.size() + " file(s) of the manifest name blobs this run does not own",
                    foreign);
        }
        return manifest;
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
        return store.presignGet(SnapshotStore.blobKey(file.sha256()), config.downloadUrlExpiry(), path);
    }

    /** A presigned GET URL for one attempt's archived log (gzip). */
    public String logUrl(long runId, int attempt) {
        run(runId);
        return artifacts.logArchives(runId).stream().filter(l -> l.attempt() == attempt).findFirst()
                .map(l -> store.presignGet(l.objectKey(), config.downloadUrlExpiry(),
                        "run-" + runId + "-attempt-" + attempt + ".log.gz"))
                .orElseThrow(() -> new NotFoundException("run " + runId + " attempt " + attempt
                        + " has no archived log (logs are archived shortly after an attempt ends)"));
    }

    /** The run (404 when there is none). */
    public RunEntity run(long runId) {
        return runs.findByIdOptional(runId).orElseThrow(() -> new NotFoundException("run", runId));
    }

    /** The run, when {@code attempt} is one of its attempts so far (409 otherwise). */
    public RunEntity attemptOf(long runId, int attempt) {
        RunEntity run = run(runId);
        if (attempt < 0 || attempt > run.attempt) {
            throw new ConflictException("run " + runId + " has no attempt " + attempt + " (its current attempt is "
                    + run.attempt + ")", "attempt");
        }
        return run;
    }

    /** The project the run belongs to (for the audit log). */
    public String projectOf(long runId) {
        return sweeps.findByIdOptional(run(runId).sweepId).map(s -> s.project.name).orElse(null);
    }

    /**
     * Which of {@code blobs} the run owns: those of its data snapshot, those of its earlier artifact commits, and
     * those written to the store since the run was launched (uploaded by it, through the URLs of
     * {@link #planUploads}). Documented residual risk: a blob another run wrote after this one was launched counts
     * as written by this run.
     */
    private Set<String> ownBlobs(RunEntity run, Set<String> blobs) {
        Set<String> own = new HashSet<>();
        if (blobs.isEmpty()) {
            return own;
        }
        if (run.dataSnapshotId != null) {
            snapshots.detail(dev.reprise.api.snapshots.SnapshotRef.parse(run.dataSnapshotId).orElseThrow()).manifest().entries()
                    .forEach(e -> own.add(e.sha256()));
        }
        for (int a = 0; a <= run.attempt; a++) {
            artifacts.files(run.id, a).forEach(e -> own.add(e.sha256()));
        }
        // the blobs of its own checkpoints (a resumed attempt saves unchanged files again)
        own.addAll(checkpoints.blobs(run.id));
        Instant since = run.launchedAt != null ? run.launchedAt : run.createdAt;
        for (String sha : blobs) {
            if (!own.contains(sha) && since != null && store.lastModified(SnapshotStore.blobKey(sha))
                    .filter(t -> !t.isBefore(since.minus(CLOCK_SKEW))).isPresent()) {
                own.add(sha);
            }
        }
        own.retainAll(blobs);
        return own;
    }
}
