package dev.reprise.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The reads access checks need: which project a sweep, run or token belongs to, and who owns it. */
@ApplicationScoped
public class AccessQueries {

    /**
     * The project a target belongs to, who owns it (submitted the sweep, created the token) and its rank: the role
     * the submitting credential had (sweeps.created_role, null before V16), or the token's own role.
     */
    public record Owner(String project, String owner, String rank) {
    }

    /** The project and data snapshot of a run, for a run token's caller. */
    /** The run's project and snapshot, with what decides whether its run tokens are still accepted. */
    public record RunScope(String project, String dataSnapshotId, int attempt, String state, Instant finishedAt) {
    }

    private final EntityManager em;

    public AccessQueries(EntityManager em) {
        this.em = em;
    }

    public Optional<Owner> sweepOwner(long sweepId) {
        return owner("select p.name, s.created_by, s.created_role from sweeps s "
                + "join projects p on p.id = s.project_id where s.id = ?1", sweepId);
    }

    public Optional<Owner> runOwner(long runId) {
        return owner("select p.name, s.created_by, s.created_role from runs r join sweeps s on s.id = r.sweep_id "
                + "join projects p on p.id = s.project_id where r.id = ?1", runId);
    }

    public Optional<Owner> tokenOwner(long tokenId) {
        return owner("select project, created_by, role from api_tokens where id = ?1 and kind = 'api'", tokenId);
    }

    public Optional<RunScope> runScope(long runId) {
        return rows("select p.name, r.data_snapshot_id, r.attempt, r.state, r.finished_at from runs r "
                + "join sweeps s on s.id = r.sweep_id join projects p on p.id = s.project_id where r.id = ?1", runId)
                .stream().findFirst()
                .map(r -> new RunScope((String) r[0], (String) r[1], ((Number) r[2]).intValue(), String.valueOf(r[3]),
                        instant(r[4])));
    }

    private Optional<Owner> owner(String sql, long id) {
        return rows(sql, id).stream().findFirst().map(r -> new Owner((String) r[0], (String) r[1], (String) r[2]));
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass().getSimpleName());
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, long id) {
        return em.createNativeQuery(sql).setParameter(1, id).getResultList();
    }
}
