package dev.reprise.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a sweep's objective metric as the search and the stopping rules need it: each run's best value (from the
 * per-run summaries) and, for early termination, each run's curve of the current attempt (from the points).
 */
@ApplicationScoped
public class ObjectiveQueries {

    private final EntityManager em;

    public ObjectiveQueries(EntityManager em) {
        this.em = em;
    }

    /** Best value per run of the sweep: the maximum when maximising, else the minimum; runs without one omitted. */
    public Map<Long, Double> bestValues(long sweepId, String metric, boolean maximize) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select s.run_id, " + (maximize ? "s.max_value" : "s.min_value")
                        + " from metric_summaries s join metric_keys k on k.id = s.key_id "
                        + "join runs r on r.id = s.run_id where r.sweep_id = ?1 and k.name = ?2")
                .setParameter(1, sweepId).setParameter(2, metric).getResultList();
        Map<Long, Double> out = new HashMap<>();
        for (Object[] row : rows) {
            if (row[1] != null) {
                out.put(((Number) row[0]).longValue(), ((Number) row[1]).doubleValue());
            }
        }
        return out;
    }

    /** Last reported step of the objective for each run of the sweep (all attempts). */
    public Map<Long, Long> lastSteps(long sweepId, String metric) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select s.run_id, s.last_step from metric_summaries s "
                        + "join metric_keys k on k.id = s.key_id join runs r on r.id = s.run_id "
                        + "where r.sweep_id = ?1 and k.name = ?2")
                .setParameter(1, sweepId).setParameter(2, metric).getResultList();
        Map<Long, Long> out = new HashMap<>();
        for (Object[] row : rows) {
            out.put(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
        }
        return out;
    }

    /** The objective's points of each run's current attempt, by step (a later seq wins on a repeated step). */
    public Map<Long, TreeMap<Long, Double>> curves(long sweepId, String metric) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select p.run_id, p.step, p.value from metric_points p "
                        + "join metric_keys k on k.id = p.key_id join runs r on r.id = p.run_id "
                        + "where r.sweep_id = ?1 and k.name = ?2 and p.attempt = r.attempt "
                        + "order by p.run_id, p.step, p.seq")
                .setParameter(1, sweepId).setParameter(2, metric).getResultList();
        Map<Long, TreeMap<Long, Double>> out = new HashMap<>();
        for (Object[] row : rows) {
            out.computeIfAbsent(((Number) row[0]).longValue(), k -> new TreeMap<>())
                    .put(((Number) row[1]).longValue(), ((Number) row[2]).doubleValue());
        }
        return out;
    }
}
