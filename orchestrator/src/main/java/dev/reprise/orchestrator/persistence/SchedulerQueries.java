package dev.reprise.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The scheduler's aggregate reads over sweeps and runs. Callers hold the transaction. */
@ApplicationScoped
public class SchedulerQueries {

    private final EntityManager em;

    public SchedulerQueries(EntityManager em) {
        this.em = em;
    }

    /**
     * The sweeps that are QUEUED or RUNNING and still have a run to start or running, in the order the database
     * grouped them, each with how many of its runs hold a slot (LAUNCHING or RUNNING). Runs an MLflow client created
     * hold no slot: no executor runs them.
     */
    public Map<Long, Integer> activeRunsBySweep() {
        @SuppressWarnings("unchecked")
        List<Object[]> active = em.createNativeQuery(
                "select s.id, count(r.id) filter (where r.state in ('LAUNCHING', 'RUNNING')) "
                        + "from sweeps s join runs r on r.sweep_id = s.id "
                        + "where s.status in ('QUEUED', 'RUNNING') "
                        + "and r.state in ('QUEUED', 'LAUNCHING', 'RUNNING') "
                        + "and (r.executor is null or r.executor <> 'mlflow') "
                        + "group by s.id").getResultList();
        Map<Long, Integer> out = new LinkedHashMap<>();
        for (Object[] row : active) {
            out.put(((Number) row[0]).longValue(), ((Number) row[1]).intValue());
        }
        return out;
    }

    /**
     * For each of the sweeps, the ids of up to {@code maxPerSweep} QUEUED runs that may start at {@code now}
     * (no {@code not_before} in the future), in run index order.
     */
    public Map<Long, List<Long>> readyRunsBySweep(Collection<Long> sweepIds, Instant now, int maxPerSweep) {
        @SuppressWarnings("unchecked")
        List<Object[]> ready = em.createNativeQuery(
                "select id, sweep_id from (select r.id, r.sweep_id, row_number() over "
                        + "(partition by r.sweep_id order by r.run_index) as rn from runs r "
                        + "where r.sweep_id in (?1) and r.state = 'QUEUED' "
                        + "and (r.not_before is null or r.not_before <= ?2)) x where rn <= ?3 order by sweep_id, rn")
                .setParameter(1, new ArrayList<>(sweepIds))
                .setParameter(2, Timestamp.from(now))
                .setParameter(3, maxPerSweep)
                .getResultList();
        Map<Long, List<Long>> out = new HashMap<>();
        for (Object[] row : ready) {
            out.computeIfAbsent(((Number) row[1]).longValue(), k -> new ArrayList<>())
                    .add(((Number) row[0]).longValue());
        }
        return out;
    }

    /** Runs waiting to start, by queue, for sweeps that may still start them. */
    public Map<String, Long> queuedByQueue() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select s.queue, count(*) from runs r join sweeps s "
                + "on s.id = r.sweep_id where r.state = 'QUEUED' and s.status in ('QUEUED', 'RUNNING') "
                + "group by s.queue").getResultList();
        Map<String, Long> out = new HashMap<>();
        for (Object[] row : rows) {
            out.put((String) row[0], ((Number) row[1]).longValue());
        }
        return out;
    }
}
