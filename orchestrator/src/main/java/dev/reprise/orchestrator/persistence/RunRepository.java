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

    /** Moves every non-terminal run of the sweep to CANCELLED; returns how many changed. */
    public int cancelActive(long sweepId, Instant now) {
        return update("state = ?1, finishedAt = ?2, stopReason = 'CANCELLED' where sweepId = ?3 and state in ?4",
                RunState.CANCELLED, now, sweepId, List.copyOf(RunTransitions.sourcesOf(RunState.CANCELLED)));
    }

    /** Runs of the sweep that ended FAILED with one of the given causes. */
    public long countFailed(long sweepId, List<String> causes) {
        return count("sweepId = ?1 and state = ?2 and failureCause in ?3", sweepId, RunState.FAILED, causes);
    }
}
