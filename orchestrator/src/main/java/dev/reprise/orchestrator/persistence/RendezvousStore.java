package dev.reprise.orchestrator.persistence;

import dev.reprise.orchestrator.domain.distributed.Rendezvous;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/** The members of distributed attempts that registered at the rendezvous (table run_rendezvous, V26). */
@ApplicationScoped
public class RendezvousStore {

    private final EntityManager em;

    public RendezvousStore(EntityManager em) {
        this.em = em;
    }

    /** Records (or refreshes the address of) one member; its place in the registration order never changes. */
    public void register(long runId, int attempt, Rendezvous.Member m) {
        em.createNativeQuery("insert into run_rendezvous (run_id, attempt, member, address, node_name, rank_hint) "
                        + "values (?1, ?2, ?3, ?4, ?5, ?6) on conflict (run_id, attempt, member) do update set "
                        + "address = excluded.address, node_name = coalesce(excluded.node_name, "
                        + "run_rendezvous.node_name)")
                .setParameter(1, runId).setParameter(2, attempt).setParameter(3, m.name())
                .setParameter(4, m.address()).setParameter(5, m.node()).setParameter(6, m.rankHint())
                .executeUpdate();
    }

    /** The attempt's members in registration order. */
    public List<Rendezvous.Member> members(long runId, int attempt) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select member, address, node_name, rank_hint from run_rendezvous "
                        + "where run_id = ?1 and attempt = ?2 order by seq")
                .setParameter(1, runId).setParameter(2, attempt).getResultList();
        return rows.stream().map(r -> new Rendezvous.Member((String) r[0], (String) r[1], (String) r[2],
                r[3] == null ? null : ((Number) r[3]).intValue())).toList();
    }

    /** An active attempt launched before {@code cutoff}: a candidate for the start deadline. */
    public record LaunchedAttempt(long runId, int attempt, long sweepId, Instant launchedAt) {
    }

    /** The current attempts of LAUNCHING and RUNNING runs launched before {@code cutoff}. */
    public List<LaunchedAttempt> launchedBefore(Instant cutoff) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select r.id, r.attempt, r.sweep_id, a.launched_at from runs r "
                        + "join run_attempts a on a.run_id = r.id and a.attempt = r.attempt "
                        + "where r.state in ('LAUNCHING', 'RUNNING') and a.launched_at < ?1")
                .setParameter(1, cutoff).getResultList();
        return rows.stream().map(r -> new LaunchedAttempt(((Number) r[0]).longValue(), ((Number) r[1]).intValue(),
                ((Number) r[2]).longValue(), toInstant(r[3]))).toList();
    }

    private static Instant toInstant(Object o) {
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        if (o instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        return null;
    }
}
