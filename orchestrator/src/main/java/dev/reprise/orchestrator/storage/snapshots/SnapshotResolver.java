package dev.reprise.orchestrator.storage.snapshots;

import dev.reprise.api.snapshots.SnapshotRef;
import dev.reprise.orchestrator.persistence.SnapshotRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

/**
 * Turns a sweep's {@code data.snapshot} ({@code name}, {@code name:tag} or {@code sha256:…}) into the immutable id to
 * freeze in its runs. Called inside the submitting transaction, it share-locks the snapshot row until that
 * transaction ends, so the snapshot cannot be deleted between resolving it and storing the runs that reference it.
 */
@ApplicationScoped
public class SnapshotResolver {

    private final SnapshotRepository repository;

    public SnapshotResolver(SnapshotRepository repository) {
        this.repository = repository;
    }

    /** The id the reference points at now; empty when it is not a reference or points at no snapshot. */
    @Transactional
    public Optional<String> resolve(String ref) {
        Optional<SnapshotRef> parsed = SnapshotRef.parse(ref);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        SnapshotRef r = parsed.get();
        Optional<String> id = r.isId() ? Optional.of(r.id()) : repository.tagTarget(r.name(), r.tag());
        return id.flatMap(repository::lockShared);
    }
}
