package dev.reprise.orchestrator.persistence;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Snapshots and their name:tag pointers. Writes are native upserts so concurrent pushes of the same snapshot or tag
 * never fail on a unique key; the locking reads serialise deleting a snapshot against submitting runs that use it.
 */
@ApplicationScoped
public class SnapshotRepository implements PanacheRepositoryBase<SnapshotEntity, String> {

    /** Records the snapshot unless it is recorded; returns whether this call recorded it. */
    public boolean insertIfAbsent(String id, int fileCount, long totalBytes, Instant now, String user) {
        return getEntityManager().createNativeQuery("insert into snapshots (id, file_count, total_bytes, created_at, "
                        + "created_by) values (?1, ?2, ?3, ?4, ?5) on conflict (id) do nothing")
                .setParameter(1, id)
                .setParameter(2, fileCount)
                .setParameter(3, totalBytes)
                .setParameter(4, now)
                .setParameter(5, user)
                .executeUpdate() == 1;
    }

    /** Points name:tag at the snapshot; returns the id it pointed at before, if any. */
    public Optional<String> moveTag(String name, String tag, String snapshotId, Instant now, String user) {
        EntityManager em = getEntityManager();
        Optional<String> previous = tagTarget(name, tag, true);
        em.createNativeQuery("insert into snapshot_tags (name, tag, snapshot_id, updated_at, updated_by) "
                        + "values (?1, ?2, ?3, ?4, ?5) on conflict (name, tag) do update set "
                        + "snapshot_id = excluded.snapshot_id, updated_at = excluded.updated_at, "
                        + "updated_by = excluded.updated_by")
                .setParameter(1, name)
                .setParameter(2, tag)
                .setParameter(3, snapshotId)
                .setParameter(4, now)
                .setParameter(5, user)
                .executeUpdate();
        return previous.filter(p -> !p.equals(snapshotId));
    }

    /** The snapshot id name:tag points at. */
    public Optional<String> tagTarget(String name, String tag) {
        return tagTarget(name, tag, false);
    }

    private Optional<String> tagTarget(String name, String tag, boolean lock) {
        List<?> rows = getEntityManager().createNativeQuery("select snapshot_id from snapshot_tags where name = ?1 "
                        + "and tag = ?2" + (lock ? " for update" : ""))
                .setParameter(1, name)
                .setParameter(2, tag)
                .getResultList();
        return rows.stream().findFirst().map(Object::toString);
    }

    /**
     * The id of the snapshot, share-locked until the transaction ends, so that it cannot be deleted before a run that
     * references it is committed. Empty when there is no such snapshot.
     */
    public Optional<String> lockShared(String id) {
        List<?> rows = getEntityManager().createNativeQuery("select id from snapshots where id = ?1 for share")
                .setParameter(1, id)
                .getResultList();
        return rows.stream().findFirst().map(Object::toString);
    }

    /** Locks the snapshot row for deletion; empty when there is no such snapshot. */
    public boolean lockForDelete(String id) {
        return !getEntityManager().createNativeQuery("select id from snapshots where id = ?1 for update")
                .setParameter(1, id)
                .getResultList().isEmpty();
    }

    /** Up to {@code limit} ids of runs whose data is this snapshot, and how many there are. */
    public RunReferences runsReferencing(String id, int limit) {
        EntityManager em = getEntityManager();
        long count = ((Number) em.createNativeQuery("select count(*) from runs where data_snapshot_id = ?1")
                .setParameter(1, id)
                .getSingleResult()).longValue();
        List<Long> sample = new ArrayList<>();
        if (count > 0) {
            for (Object row : em.createNativeQuery("select id from runs where data_snapshot_id = ?1 order by id "
                            + "limit ?2")
                    .setParameter(1, id)
                    .setParameter(2, limit)
                    .getResultList()) {
                sample.add(((Number) row).longValue());
            }
        }
        return new RunReferences(count, sample);
    }

    /** How many runs reference a snapshot, with the first few run ids. */
    public record RunReferences(long count, List<Long> sample) {
    }

    /** Deletes the snapshot row and every tag pointing at it; returns the tags that were removed. */
    public List<String> deleteWithTags(String id) {
        EntityManager em = getEntityManager();
        List<String> tags = tagsOf(List.of(id)).getOrDefault(id, List.of());
        em.createNativeQuery("delete from snapshot_tags where snapshot_id = ?1").setParameter(1, id).executeUpdate();
        em.createNativeQuery("delete from snapshots where id = ?1").setParameter(1, id).executeUpdate();
        return tags;
    }

    /** Snapshots newest first; with a name, only those a tag of that name points at. */
    public PagedResult<SnapshotEntity> page(String name, int page, int size) {
        PanacheQuery<SnapshotEntity> q = name == null
                ? findAll(Sort.descending("createdAt").and("id"))
                : find("id in (select t.snapshotId from SnapshotTagEntity t where t.name = :name)",
                        Sort.descending("createdAt").and("id"), Parameters.with("name", name));
        long total = q.count();
        return new PagedResult<>(q.page(Page.of(page, size)).list(), page, size, total);
    }

    /** The name:tag pointers of each snapshot, sorted. */
    public Map<String, List<String>> tagsOf(List<String> ids) {
        Map<String, List<String>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        List<SnapshotTagEntity> tags = getEntityManager().createQuery("from SnapshotTagEntity t where t.snapshotId "
                        + "in :ids order by t.name, t.tag", SnapshotTagEntity.class)
                .setParameter("ids", ids)
                .getResultList();
        for (SnapshotTagEntity t : tags) {
            out.computeIfAbsent(t.snapshotId, k -> new ArrayList<>()).add(t.name + ":" + t.tag);
        }
        return out;
    }
}
