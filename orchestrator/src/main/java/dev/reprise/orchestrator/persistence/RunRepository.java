package dev.reprise.orchestrator.persistence;

import dev.reprise.orchestrator.domain.run.RunTransitions;
import dev.reprise.orchestrator.domain.run.RunState;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<RunEntity, Long> {

    public PagedResult<RunEntity> pageOfSweep(long sweepId, Sort sort, int page, int size) {
        PanacheQuery<RunEntity> q = find("sweepId", sort, sweepId);
        long total = q.count();
        return new PagedResult<>(q.page(Page.of(page, size)).list(), page, size, total);
    }

    /** Number of runs per state for each of the given sweeps. */
    public Map<Long, Map<RunState, Long>> countsByState(List<Long> sweepIds) {
        Map<Long, Map<RunState, Long>> out = new java.util.HashMap<>();
        if (sweepIds.isEmpty()) {
            return out;
        }
        List<Object[]> rows = getEntityManager().createQuery(
                        "select r.sweepId, r.state, count(r) from RunEntity r where r.sweepId in :ids "
                                + "group by r.sweepId, r.state", Object[].class)
                .setParameter("ids", sweepIds)
                .getResultList();
        for (Object[] row : rows) {
            out.computeIfAbsent((Long) row[0], k -> new EnumMap<>(RunState.class))
                    .put((RunState) row[1], (Long) row[2]);
        }
        return out;
    }

    /**
     * The lock order every transaction that changes runs keeps, so that none waits for another in a cycle: first
     * the sweep (SELECT ... FOR UPDATE), then its runs in ascending id order. Cancelling a sweep of 10,000 runs once
     * deadlocked against run observations, which locked a run and then its sweep, and against the ingest, which
     * updated runs in the order their reports arrived.
     */
    public static final String LOCK_ORDER = "sweep, then its runs by ascending id";

    /** The sweep a run belongs to (never changes, so it can be read before any lock); null when no such run. */
    public Long sweepIdOf(long runId) {
        List<?> rows = getEntityManager().createNativeQuery("select sweep_id from runs where id = ?1")
                .setParameter(1, runId).getResultList();
        return rows.isEmpty() ? null : ((Number) rows.get(0)).longValue();
    }

    /**
     * Moves every non-terminal run of the sweep to CANCELLED; returns how many changed. The caller holds the
     * sweep's lock; the runs are locked here in id order ({@link #LOCK_ORDER}) before they change.
     */
    public int cancelActive(long sweepId, Instant now) {
        getEntityManager().createNativeQuery("select id from runs where sweep_id = ?1 and state in "
                        + "('QUEUED', 'LAUNCHING', 'RUNNING', 'PREEMPTED') order by id for no key update")
                .setParameter(1, sweepId).getResultList();
        return update("state = ?1, finishedAt = ?2, stopReason = 'CANCELLED' where sweepId = ?3 and state in ?4",
                RunState.CANCELLED, now, sweepId, List.copyOf(RunTransitions.sourcesOf(RunState.CANCELLED)));
    }

    /** Runs of the sweep that ended FAILED with one of the given causes. */
    public long countFailed(long sweepId, List<String> causes) {
        return count("sweepId = ?1 and state = ?2 and failureCause in ?3", sweepId, RunState.FAILED, causes);
    }

    /** How many of the sweep's runs are in one of the states. */
    public long countInStates(long sweepId, java.util.Collection<RunState> states) {
        return getEntityManager().createQuery("select count(r) from RunEntity r where r.sweepId = ?1 "
                + "and r.state in ?2", Long.class).setParameter(1, sweepId).setParameter(2, states)
                .getSingleResult();
    }

    /**
     * Runs an executor should be running: LAUNCHING or RUNNING. Runs an MLflow client created (executor 'mlflow')
     * are driven by that client, never by an executor.
     */
    public List<RunEntity> executorDrivenActive() {
        return list("state in ?1 and (executor is null or executor <> 'mlflow')",
                List.of(RunState.LAUNCHING, RunState.RUNNING));
    }

    /** The runs with these ids, by id (ids of no run are absent). */
    public Map<Long, RunEntity> byIds(java.util.Collection<Long> ids) {
        Map<Long, RunEntity> out = new java.util.HashMap<>();
        if (!ids.isEmpty()) {
            list("id in ?1", List.copyOf(ids)).forEach(r -> out.put(r.id, r));
        }
        return out;
    }

    /** All runs of the sweep, locked in id order ({@link #LOCK_ORDER}; the caller holds the sweep's lock). */
    public List<RunEntity> lockedOfSweep(long sweepId) {
        return find("sweepId = ?1 order by id", sweepId).withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .list();
    }

    /** All runs of the sweep. */
    public List<RunEntity> ofSweep(long sweepId) {
        return list("sweepId", sweepId);
    }

    /** The sweep's run of index 0 (a re-run's single trial); null when it has none. */
    public RunEntity firstOfSweep(long sweepId) {
        return find("sweepId = ?1 and index = 0", sweepId).firstResult();
    }
}
