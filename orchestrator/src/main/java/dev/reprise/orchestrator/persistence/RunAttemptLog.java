package dev.reprise.orchestrator.persistence;

import dev.reprise.orchestrator.domain.run.FailureCause;
import dev.reprise.orchestrator.domain.run.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;

/** The history of a run's attempts (table run_attempts): written as each attempt progresses. */
@ApplicationScoped
public class RunAttemptLog {

    private final EntityManager em;

    public RunAttemptLog(EntityManager em) {
        this.em = em;
    }

    public void launched(long runId, int attempt, Instant at) {
        em.createNativeQuery("insert into run_attempts (run_id, attempt, state, launched_at) values (?1, ?2, ?3, ?4) "
                        + "on conflict (run_id, attempt) do update set launched_at = coalesce(run_attempts.launched_at, "
                        + "excluded.launched_at)")
                .setParameter(1, runId).setParameter(2, attempt).setParameter(3, RunState.LAUNCHING.name())
                .setParameter(4, at).executeUpdate();
    }

    public void running(long runId, int attempt, Instant at, String node, String digest) {
        upsert(runId, attempt, RunState.RUNNING);
        em.createNativeQuery("update run_attempts set state = ?3, started_at = coalesce(started_at, ?4), "
                        + "node_name = coalesce(?5, node_name), image_digest = coalesce(?6, image_digest) "
                        + "where run_id = ?1 and attempt = ?2")
                .setParameter(1, runId).setParameter(2, attempt).setParameter(3, RunState.RUNNING.name())
                .setParameter(4, at).setParameter(5, node).setParameter(6, digest).executeUpdate();
    }

    public void ended(long runId, int attempt, RunState state, Instant at, Integer exitCode, FailureCause cause,
            String message) {
        upsert(runId, attempt, state);
        em.createNativeQuery("update run_attempts set state = ?3, finished_at = ?4, exit_code = ?5, "
                        + "failure_cause = ?6, message = ?7 where run_id = ?1 and attempt = ?2")
                .setParameter(1, runId).setParameter(2, attempt).setParameter(3, state.name()).setParameter(4, at)
                .setParameter(5, exitCode).setParameter(6, cause == null ? null : cause.name())
                .setParameter(7, message).executeUpdate();
    }

    /** How many attempts of the run ended with this cause (or were preempted, for {@code PREEMPTED}). */
    public int count(long runId, String causeOrState) {
        Number n = (Number) em.createNativeQuery("select count(*) from run_attempts where run_id = ?1 and "
                        + "(failure_cause = ?2 or state = ?2)")
                .setParameter(1, runId).setParameter(2, causeOrState).getSingleResult();
        return n.intValue();
    }

    private void upsert(long runId, int attempt, RunState state) {
        em.createNativeQuery("insert into run_attempts (run_id, attempt, state) values (?1, ?2, ?3) "
                        + "on conflict (run_id, attempt) do nothing")
                .setParameter(1, runId).setParameter(2, attempt).setParameter(3, state.name()).executeUpdate();
    }
}
