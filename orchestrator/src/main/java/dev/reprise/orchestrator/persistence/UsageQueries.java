package dev.reprise.orchestrator.persistence;

import dev.reprise.orchestrator.domain.usage.Accounting;
import dev.reprise.orchestrator.domain.usage.PowerSample;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reads behind accounting: every attempt the executor saw start, with what its sweep requested, and the GPU
 * power samples its agent reported (metric points {@code sys/gpu.N.power_w}). Callers hold the transaction.
 */
@ApplicationScoped
public class UsageQueries {

    /** Bounds used when the caller gives none: far outside any attempt. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-01-01T00:00:00Z");

    private final EntityManager em;

    public UsageQueries(EntityManager em) {
        this.em = em;
    }

    /**
     * One attempt with what its sweep requested (per node: cpu quantity, GPU count; and the node count) and the
     * keys it is summed by.
     */
    public record AttemptRow(long runId, int attempt, int runIndex, String state, Instant startedAt,
            Instant finishedAt, long sweepId, String sweepName, String project, String queue, String user,
            String cpuPerNode, int gpusPerNode, int nodes) {
    }

    /**
     * Attempts that started (by the executor's observation) and overlap {@code [from, to)}; {@code project} and
     * {@code sweepId} narrow them when not null.
     */
    public List<AttemptRow> attempts(String project, Long sweepId, Instant from, Instant to) {
        StringBuilder sql = new StringBuilder(
                "select a.run_id, a.attempt, r.run_index, a.state, a.started_at, a.finished_at, s.id, s.name, "
                        + "p.name, s.queue, s.created_by, s.spec -> 'resources' ->> 'cpu', "
                        + "coalesce((s.spec -> 'resources' -> 'gpu' ->> 'count')::int, 0), "
                        + "coalesce((s.spec -> 'resources' ->> 'nodes')::int, 1) "
                        + "from run_attempts a join runs r on r.id = a.run_id join sweeps s on s.id = r.sweep_id "
                        + "join projects p on p.id = s.project_id "
                        + "where a.started_at is not null and a.started_at < :to "
                        + "and (a.finished_at is null or a.finished_at > :from)");
        if (project != null) {
            sql.append(" and p.name = :project");
        }
        if (sweepId != null) {
            sql.append(" and s.id = :sweep");
        }
        sql.append(" order by a.started_at, a.run_id, a.attempt");
        var q = em.createNativeQuery(sql.toString())
                .setParameter("from", Timestamp.from(from == null ? EARLIEST : from))
                .setParameter("to", Timestamp.from(to == null ? LATEST : to));
        if (project != null) {
            q.setParameter("project", project);
        }
        if (sweepId != null) {
            q.setParameter("sweep", sweepId);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        List<AttemptRow> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            out.add(new AttemptRow(((Number) r[0]).longValue(), ((Number) r[1]).intValue(),
                    ((Number) r[2]).intValue(), (String) r[3], instant(r[4]), instant(r[5]),
                    ((Number) r[6]).longValue(), (String) r[7], (String) r[8], (String) r[9], (String) r[10],
                    (String) r[11], ((Number) r[12]).intValue(), ((Number) r[13]).intValue()));
        }
        return out;
    }

    /** GPU-seconds a sweep's attempts have used up to {@code now}, running ones included (what its budget counts). */
    public double sweepGpuSeconds(long sweepId, Instant now) {
        return attempts(null, sweepId, null, null).stream().mapToDouble(a -> Accounting.gpuSeconds(a.nodes(),
                a.gpusPerNode(), a.startedAt(), a.finishedAt(), now, null, null)).sum();
    }

    /** GPU-seconds used in a queue since {@code since}, by project, running attempts included up to {@code now}. */
    public Map<String, Double> queueGpuSecondsByProject(String queue, Instant since, Instant now) {
        Map<String, Double> out = new HashMap<>();
        for (AttemptRow a : attempts(null, null, since, null)) {
            if (queue.equals(a.queue())) {
                out.merge(a.project(), Accounting.gpuSeconds(a.nodes(), a.gpusPerNode(), a.startedAt(),
                        a.finishedAt(), now, since, null), Double::sum);
            }
        }
        return out;
    }

    /** Identity of one attempt. */
    public record AttemptId(long runId, int attempt) {
    }

    /**
     * The GPU power samples of the given runs' attempts inside {@code [from, to)}, per attempt and per GPU (metric
     * key).
     */
    public Map<AttemptId, Map<String, List<PowerSample>>> powerSamples(Collection<Long> runIds, Instant from,
            Instant to) {
        Map<AttemptId, Map<String, List<PowerSample>>> out = new HashMap<>();
        if (runIds.isEmpty()) {
            return out;
        }
        List<Long> ids = new ArrayList<>(runIds);
        for (int i = 0; i < ids.size(); i += 1000) {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            "select p.run_id, p.attempt, k.name, p.ts, p.value from metric_points p "
                                    + "join metric_keys k on k.id = p.key_id "
                                    + "where p.run_id in (:runs) "
                                    + "and p.key_id in (select id from metric_keys where name like 'sys/gpu.%.power_w') "
                                    + "and p.ts >= :from and p.ts < :to")
                    .setParameter("runs", ids.subList(i, Math.min(ids.size(), i + 1000)))
                    .setParameter("from", Timestamp.from(from == null ? EARLIEST : from))
                    .setParameter("to", Timestamp.from(to == null ? LATEST : to))
                    .getResultList();
            for (Object[] r : rows) {
                out.computeIfAbsent(new AttemptId(((Number) r[0]).longValue(), ((Number) r[1]).intValue()),
                                k -> new HashMap<>())
                        .computeIfAbsent((String) r[2], k -> new ArrayList<>())
                        .add(new PowerSample(instant(r[3]), ((Number) r[4]).doubleValue()));
            }
        }
        return out;
    }

    static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + o.getClass());
    }
}
