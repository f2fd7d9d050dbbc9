package dev.reprise.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import dev.reprise.orchestrator.domain.run.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Set;
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

    /**
     * A run as the search reads it: index, state, parameters (JSON text; null when not asked for), best objective
     * value, if any, and whether that value is complete: {@code settled} once the agent's report that the current
     * attempt finished has been ingested (it is sent after the last metric), or, for an agent that never said so,
     * once the run has been finished for the grace period.
     */
    public record TrialRow(int index, RunState state, String parameters, Double best, boolean settled) {
    }

    /**
     * Every run of the sweep in index order with its best value of {@code metric} (maximum when maximising, else
     * minimum), in one query. With {@code finishedBy}, only the runs in {@code states} that finished by then.
     * Parameters are read only for runs numbered {@code parametersFrom} and up (a caller that holds the earlier
     * ones, which never change, saves reading and parsing them again). A run is settled ({@link TrialRow#settled})
     * when its agent reported the attempt finished or it finished more than {@code unreportedGrace} ago.
     */
    public List<TrialRow> trialRows(long sweepId, String metric, boolean maximize, Set<RunState> states,
            Instant finishedBy, int parametersFrom, Duration unreportedGrace) {
        String filter = finishedBy == null ? "" : " and r.state in (?5) and r.finished_at <= ?6";
        var query = em.createNativeQuery("select r.run_index, r.state, case when r.run_index >= ?3 then "
                + "cast(r.parameters as text) end, " + (maximize ? "s.max_value" : "s.min_value") + ", "
                + "(r.finished_at is not null and (r.finished_at < now() - make_interval(secs => ?4) or exists ("
                + "select 1 from agent_reports a where a.run_id = r.id and a.attempt = r.attempt "
                + "and a.finished_at is not null)))"
                + " from runs r left join metric_summaries s "
                + "on s.run_id = r.id and s.key_id = (select k.id from metric_keys k where k.name = ?2) "
                + "where r.sweep_id = ?1" + filter + " order by r.run_index")
                .setParameter(1, sweepId).setParameter(2, metric).setParameter(3, parametersFrom)
                .setParameter(4, (double) unreportedGrace.toSeconds());
        if (finishedBy != null) {
            query.setParameter(5, states.stream().map(Enum::name).toList()).setParameter(6, finishedBy);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        List<TrialRow> out = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            out.add(new TrialRow(((Number) row[0]).intValue(), RunState.valueOf((String) row[1]), (String) row[2],
                    row[3] == null ? null : ((Number) row[3]).doubleValue(), Boolean.TRUE.equals(row[4])));
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

    /**
     * The runs of the sweep that ended STOPPED_EARLY, in index order: run id, index, last step of {@code metric} (null
     * if none), and seconds from start to end of the attempt (null if unknown).
     */
    public List<Object[]> stoppedEarly(long sweepId, String metric) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select r.id, r.run_index, s.last_step, "
                        + "extract(epoch from (r.finished_at - r.started_at)) from runs r "
                        + "left join metric_summaries s on s.run_id = r.id and s.key_id = "
                        + "(select k.id from metric_keys k where k.name = ?2) "
                        + "where r.sweep_id = ?1 and r.state = 'STOPPED_EARLY' order by r.run_index")
                .setParameter(1, sweepId).setParameter(2, metric).getResultList();
        return rows;
    }

    /** The most steps of {@code metric} a SUCCEEDED run of the sweep reached; null when none reported it. */
    public Long longestCompleted(long sweepId, String metric) {
        Object max = em.createNativeQuery("select max(s.last_step) from metric_summaries s "
                        + "join metric_keys k on k.id = s.key_id join runs r on r.id = s.run_id "
                        + "where r.sweep_id = ?1 and k.name = ?2 and r.state = 'SUCCEEDED'")
                .setParameter(1, sweepId).setParameter(2, metric).getSingleResult();
        return max == null ? null : ((Number) max).longValue();
    }
}
