package dev.reprise.orchestrator.application;

import dev.reprise.api.blobs.BlobRef;
import dev.reprise.api.blobs.UploadPlan;
import dev.reprise.orchestrator.storage.snapshots.SnapshotConfig;
import dev.reprise.orchestrator.storage.snapshots.SnapshotStore;
import dev.reprise.orchestrator.domain.error.InvalidSnapshotException;
import dev.reprise.api.snapshots.InvalidManifestException;
import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.Sha256;
import dev.reprise.api.snapshots.SnapshotManifest;
import dev.reprise.api.snapshots.SnapshotRef;
import dev.reprise.orchestrator.domain.error.ConflictException;
import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.domain.error.FieldError;
import dev.reprise.orchestrator.persistence.PagedResult;
import dev.reprise.orchestrator.persistence.SnapshotEntity;
import dev.reprise.orchestrator.persistence.SnapshotRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Data snapshots: which blobs a push must upload, committing a manifest once every blob it lists is in the store,
 * the name:tag pointers, listing, download URLs and deletion. The object store holds the bytes; PostgreSQL decides
 * which snapshots exist. A manifest is written only after all its blobs are verified to exist with the right size,
 * so no committed snapshot points at a missing blob.
 */
@ApplicationScoped
public class SnapshotService {

    private static final Logger LOG = Logger.getLogger(SnapshotService.class);
    private static final String MANIFEST_TYPE = "application/json";
    private static final int MAX_LISTED_ERRORS = 100;

    private final SnapshotStore store;
    private final SnapshotRepository repository;
    private final SnapshotConfig config;
    private final ManifestCache manifests = new ManifestCache(16, 200_000);
    private final SnapshotUploads uploads;

    public SnapshotService(SnapshotStore store, SnapshotRepository repository, SnapshotConfig config,
            SnapshotUploads uploads) {
        this.uploads = uploads;
        this.store = store;
        this.repository = repository;
        this.config = config;
    }

    /** A committed snapshot with the name:tag pointers that point at it. */
    public record Snapshot(SnapshotEntity row, List<String> tags) {
    }

    /**
     * What a commit did.
     *
     * @param created  whether this commit recorded the snapshot (false: it existed, only the tag moved)
     * @param previous the id name:tag pointed at before, when the commit moved it
     */
    public record Committed(Snapshot snapshot, boolean created, String name, String tag, Optional<String> previous) {
    }

    /** A snapshot's manifest with a presigned GET URL per blob. */
    public record Download(Snapshot snapshot, SnapshotManifest manifest, Map<String, String> urls,
                           Instant expiresAt) {
    }

    /** A commit request: name and tag, and either the manifest's entries or the id of an uploaded manifest. */
    public record CommitRequest(String name, String tag, String id, List<ManifestEntry> entries) {
    }

    /** Which of the blobs (and the manifest) the store lacks, with an upload URL for each. */
    public UploadPlan planUploads(List<BlobRef> blobs, BlobRef manifest) {
        return uploads.plan(blobs, manifest);
    }

    /**
     * Records the snapshot and points name:tag at it, once every blob it lists is in the store with the right size.
     * Committing the same manifest again changes nothing but the tag.
     */
    public Committed commit(CommitRequest request, String user) {
        String tag = request.tag() == null ? SnapshotRef.DEFAULT_TAG : request.tag();
        List<FieldError> errors = new ArrayList<>();
        SnapshotRef.nameProblem(request.name()).ifPresent(p -> errors.add(new FieldError("name", p)));
        SnapshotRef.tagProblem(tag).ifPresent(p -> errors.add(new FieldError("tag", p)));
        if (request.id() == null && request.entries() == null) {
            errors.add(new FieldError("manifest", "give the manifest's entries, or the id of a manifest uploaded "
                    + "through POST /api/v1/snapshots/uploads"));
        }
        if (request.id() != null && !SnapshotRef.isId(request.id())) {
            errors.add(new FieldError("id", "must be sha256: followed by 64 lowercase hex digits"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidSnapshotException(count(errors.size(), "problem") + " in the snapshot", errors);
        }
        if (request.entries() == null) {
            Optional<Committed> tagged = tagExisting(request.id(), request.name(), tag, user);
            if (tagged.isPresent()) {
                return tagged.get();
            }
        }
        SnapshotManifest manifest = request.entries() != null ? fromEntries(request.entries())
                : uploadedManifest(request.id());
        if (request.id() != null && !request.id().equals(manifest.id())) {
            throw new InvalidSnapshotException("id", "the manifest's entries hash to " + manifest.id() + ", not "
                    + request.id());
        }
        if (manifest.fileCount() == 0) {
            throw new InvalidSnapshotException("manifest.entries", "a snapshot needs at least one file");
        }
        verifyBlobs(manifest, request.entries());
        String hex = manifest.id().substring(Sha256.PREFIX.length());
        byte[] bytes = manifest.canonicalBytes();
        if (store.size(SnapshotStore.manifestKey(hex)).orElse(-1L) != bytes.length) {
            store.write(SnapshotStore.manifestKey(hex), bytes, MANIFEST_TYPE);
        }
        Instant now = Instant.now();
        Committed committed = QuarkusTransaction.requiringNew().call(() -> {
            boolean created = repository.insertIfAbsent(manifest.id(), manifest.fileCount(), manifest.totalBytes(),
                    now, user);
            Optional<String> previous = repository.moveTag(request.name(), tag, manifest.id(), now, user);
            return new Committed(snapshot(manifest.id()), created, request.name(), tag, previous);
        });
        // A delete of the same snapshot may have removed the manifest object between our write and our commit.
        if (store.size(SnapshotStore.manifestKey(hex)).isEmpty()) {
            store.write(SnapshotStore.manifestKey(hex), bytes, MANIFEST_TYPE);
        }
        if (request.entries() == null) {
            removeQuietly(SnapshotStore.stagedManifestKey(hex));
        }
        manifests.put(manifest.id(), manifest);
        return committed;
    }

    private Optional<Committed> tagExisting(String id, String name, String tag, String user) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (repository.lockShared(id).isEmpty()) {
                return Optional.<Committed>empty();
            }
            Optional<String> previous = repository.moveTag(name, tag, id, Instant.now(), user);
            return Optional.of(new Committed(snapshot(id), false, name, tag, previous));
        });
    }

    /** The canonical manifest of the entries; errors name {@code manifest.entries[i]}. */
    public static SnapshotManifest fromEntries(List<ManifestEntry> entries) {
        try {
            return SnapshotManifest.of(entries);
        } catch (InvalidManifestException e) {
            List<FieldError> errors = e.problems().stream().limit(MAX_LISTED_ERRORS)
                    .map(p -> new FieldError("manifest.entries[" + p.index() + "]",
                            (p.path() == null ? "" : "'" + p.path() + "' ") + p.message()))
                    .toList();
            throw new InvalidSnapshotException(count(e.problems().size(), "problem") + " in the manifest", errors);
        }
    }

    private SnapshotManifest uploadedManifest(String id) {
        String hex = id.substring(Sha256.PREFIX.length());
        String key = SnapshotStore.stagedManifestKey(hex);
        Optional<Long> size = store.size(key);
        if (size.isEmpty()) {
            key = SnapshotStore.manifestKey(hex);
            size = store.size(key);
        }
        if (size.isEmpty()) {
            throw new InvalidSnapshotException("id", "no manifest with this id was uploaded; get an upload URL "
                    + "from POST /api/v1/snapshots/uploads and upload it first");
        }
        if (size.get() > config.maxManifestSize().asLongValue()) {
            throw new InvalidSnapshotException("id", "the uploaded manifest has " + size.get() + " bytes, more than "
                    + "the limit of " + config.maxManifestSize().asLongValue());
        }
        String uploadedKey = key;
        byte[] bytes = store.read(key).orElseThrow(() -> new InvalidSnapshotException("id",
                "the uploaded manifest disappeared while it was being read; upload it again"));
        if (!Sha256.hex(bytes).equals(hex)) {
            removeQuietly(uploadedKey);
            throw new InvalidSnapshotException("id", "the uploaded manifest does not hash to " + id);
        }
        try {
            return SnapshotManifest.parseCanonical(bytes);
        } catch (InvalidManifestException e) {
            List<FieldError> errors = e.problems().isEmpty()
                    ? List.of(new FieldError("manifest", e.getMessage()))
                    : e.problems().stream().limit(MAX_LISTED_ERRORS)
                            .map(p -> new FieldError("manifest.entries[" + p.index() + "]",
                                    "'" + p.path() + "' " + p.message()))
                            .toList();
            throw new InvalidSnapshotException("the uploaded manifest is not a valid snapshot manifest", errors);
        }
    }

    /** Every blob must be in the store with its recorded size; names the files whose blobs are not. */
    public void verifyBlobs(SnapshotManifest manifest, List<ManifestEntry> requestOrder) {
        Map<String, Long> sizes = new HashMap<>();
        manifest.entries().forEach(e -> sizes.put(SnapshotStore.blobKey(e.sha256()), e.size()));
        Map<String, Long> have = store.sizes(sizes.keySet());
        Map<String, Integer> position = new HashMap<>();
        List<ManifestEntry> order = requestOrder != null ? requestOrder : manifest.entries();
        for (int i = 0; i < order.size(); i++) {
            position.putIfAbsent(order.get(i).path(), i);
        }
        List<FieldError> errors = new ArrayList<>();
        int missing = 0;
        for (ManifestEntry e : manifest.entries()) {
            Long stored = have.get(SnapshotStore.blobKey(e.sha256()));
            if (stored != null && stored == e.size()) {
                continue;
            }
            missing++;
            if (errors.size() < MAX_LISTED_ERRORS) {
                String why = stored == null ? "is not in the store"
                        : "has " + stored + " bytes in the store, not " + e.size();
                errors.add(new FieldError("manifest.entries[" + position.get(e.path()) + "]",
                        "blob sha256:" + e.sha256() + " of '" + e.path() + "' " + why));
            }
        }
        if (missing > 0) {
            throw new InvalidSnapshotException(missing + " of " + manifest.fileCount() + " files have no blob in the "
                    + "store; upload them first (running the push again resumes it)", errors);
        }
    }

    /** Snapshots newest first, optionally only those with a tag of this name. */
    public PagedResult<Snapshot> list(String name, int page, int size) {
        PagedResult<SnapshotEntity> rows = repository.page(name, page, size);
        Map<String, List<String>> tags = repository.tagsOf(rows.items().stream().map(r -> r.id).toList());
        return new PagedResult<>(rows.items().stream()
                .map(r -> new Snapshot(r, tags.getOrDefault(r.id, List.of())))
                .toList(), rows.page(), rows.size(), rows.total());
    }

    /** The id a reference points at now, if the snapshot exists. */
    public Optional<String> idOf(SnapshotRef ref) {
        if (ref.isId()) {
            return repository.findByIdOptional(ref.id()).map(r -> r.id);
        }
        return repository.tagTarget(ref.name(), ref.tag());
    }

    /** The snapshot and its manifest; throws {@link NotFoundException} when the reference points at nothing. */
    public Download detail(SnapshotRef ref) {
        String id = idOf(ref).orElseThrow(() -> new NotFoundException("snapshot", ref));
        Snapshot snapshot = snapshot(id);
        return new Download(snapshot, manifest(id), Map.of(), null);
    }

    /** The manifest with a presigned GET URL per blob, valid for {@code reprise.snapshots.download-url-expiry}. */
    public Download download(SnapshotRef ref) {
        Download detail = detail(ref);
        Map<String, String> urls = new HashMap<>();
        for (ManifestEntry e : detail.manifest().entries()) {
            urls.computeIfAbsent(e.sha256(), sha -> store.presignGet(SnapshotStore.blobKey(sha),
                    config.downloadUrlExpiry()));
        }
        return new Download(detail.snapshot(), detail.manifest(), urls,
                Instant.now().plus(config.downloadUrlExpiry()));
    }

    /**
     * Deletes a snapshot that no run references: its row, the tags pointing at it and its manifest object. Blobs
     * stay (other snapshots may share them) until a garbage collection removes unreferenced ones.
     *
     * @return the name:tag pointers that were removed with it
     */
    public List<String> delete(String id) {
        List<String> removed = QuarkusTransaction.requiringNew().call(() -> {
            if (!repository.lockForDelete(id)) {
                throw new NotFoundException("snapshot", id);
            }
            SnapshotRepository.RunReferences refs = repository.runsReferencing(id, 5);
            if (refs.count() > 0) {
                throw new ConflictException("snapshot " + id + " is the data of " + count(refs.count(), "run")
                        + " (e.g. run " + refs.sample().stream().map(String::valueOf)
                        .collect(Collectors.joining(", ")) + "); a snapshot that runs reference cannot be deleted",
                        "id");
            }
            List<String> tags = repository.deleteWithTags(id);
            // Removed while the row is still locked: a concurrent push of the same snapshot waits for this
            // transaction and then writes the manifest again.
            store.remove(SnapshotStore.manifestKey(id.substring(Sha256.PREFIX.length())));
            return tags;
        });
        manifests.remove(id);
        return removed;
    }

    private Snapshot snapshot(String id) {
        SnapshotEntity row = repository.findByIdOptional(id).orElseThrow(() -> new NotFoundException("snapshot", id));
        return new Snapshot(row, repository.tagsOf(List.of(id)).getOrDefault(id, List.of()));
    }

    private SnapshotManifest manifest(String id) {
        SnapshotManifest cached = manifests.get(id);
        if (cached != null) {
            return cached;
        }
        String hex = id.substring(Sha256.PREFIX.length());
        byte[] bytes = store.read(SnapshotStore.manifestKey(hex)).orElseThrow(() -> new IllegalStateException(
                "snapshot " + id + " is recorded but its manifest object " + SnapshotStore.manifestKey(hex)
                        + " is missing"));
        try {
            SnapshotManifest manifest = SnapshotManifest.parseCanonical(bytes);
            if (!manifest.id().equals(id)) {
                throw new IllegalStateException("the manifest object of " + id + " hashes to " + manifest.id());
            }
            manifests.put(id, manifest);
            return manifest;
        } catch (InvalidManifestException e) {
            throw new IllegalStateException("the manifest object of " + id + " is unreadable: " + e.getMessage(), e);
        }
    }

    private void removeQuietly(String key) {
        try {
            store.remove(key);
        } catch (RuntimeException e) {
            LOG.warnf("could not remove %s: %s", key, e.getMessage());
        }
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
