package dev.reprise.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/** The reads access checks need: which project a sweep, run or token belongs to, and who owns it. */
@ApplicationScoped
public class AccessQueries {

    /** The project a target belongs to and who owns it (submitted the sweep, created the token). */
    public record Owner(String project, String owner) {
    }

    /** The project and data snapshot of a run, for a run token's caller. */
    public record RunScope(String project, String dataSnapshotId) {
    }

    private final EntityManager em;

    public AccessQueries(EntityManager em) {
        this.em = em;
    }

    public Optional<Owner> sweepOwner(long sweepId) {
        return owner("select p.name, s.created_by from sweeps s join projects p on p.id = s.project_id "
                + "where s.id = ?1", sweepId);
    }

    public Optional<Owner> runOwner(long runId) {
        return owner("select p.name, s.created_by from runs r join sweeps s on s.id = r.sweep_id "
                + "join projects p on p.id = s.project_id where r.id = ?1", runId);
    }

    public Optional<Owner> tokenOwner(long tokenId) {
        return owner("select project, created_by from api_tokens where id = ?1 and kind = 'api'", tokenId);
    }

    public Optional<RunScope> runScope(long runId) {
        return rows("select p.name, r.data_snapshot_id from runs r join sweeps s on s.id = r.sweep_id "
                + "join projects p on p.id = s.project_id where r.id = ?1", runId).stream().findFirst()
                .map(r -> new RunScope((String) r[0], (String) r[1]));
    }

    private Optional<Owner> owner(String sql, long id) {
        return rows(sql, id).stream().findFirst().map(r -> new Owner((String) r[0], (String) r[1]));
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, long id) {
        return em.createNativeQuery(sql).setParameter(1, id).getResultList();
    }
}
