package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.domain.notify.EventType;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.security.SecretRedactor;
import dev.reprise.orchestrator.persistence.CanonicalJson;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.WebhookStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns state changes into webhook events, inside the caller's transaction (the outbox of {@link WebhookStore}): the
 * event commits with the change or not at all. The body of every event: {@code type}, {@code occurredAt},
 * {@code project}, {@code sweepId}, {@code sweepName} and the type's own fields (docs/webhooks.md#events).
 */
@ApplicationScoped
public class WebhookEvents {

    private final WebhookStore store;
    private final EntityManager em;

    public WebhookEvents(WebhookStore store, EntityManager em) {
        this.store = store;
        this.em = em;
    }

    /** The sweep reached a terminal status: sweep.finished (SUCCEEDED, CANCELLED) or sweep.failed (FAILED). */
    public void sweepEnded(SweepEntity sweep, Map<RunState, Long> counts) {
        EventType type = switch (sweep.status) {
            case FAILED -> EventType.SWEEP_FAILED;
            case SUCCEEDED, CANCELLED -> EventType.SWEEP_FINISHED;
            case QUEUED, RUNNING -> throw new IllegalArgumentException("sweep " + sweep.id + " has not ended");
        };
        Map<String, Object> body = base(type, sweep);
        body.put("status", sweep.status.name());
        Map<String, Long> runs = new TreeMap<>();
        counts.forEach((state, n) -> runs.put(state.name(), n));
        body.put("runs", runs);
        emit(type, sweep, body);
    }

    /** The sweep stopped starting trials at its budget; {@code reason} is the stated reason. */
    public void budgetReached(SweepEntity sweep, String reason) {
        Map<String, Object> body = base(EventType.BUDGET_REACHED, sweep);
        body.put("reason", reason);
        emit(EventType.BUDGET_REACHED, sweep, body);
    }

    /** The run ended FAILED or LOST for good, with its cause. */
    public void runFailed(RunEntity run) {
        SweepEntity sweep = em.find(SweepEntity.class, run.sweepId);
        Map<String, Object> body = base(EventType.RUN_FAILED, sweep);
        putRun(body, run);
        body.put("state", run.state.name());
        body.put("failureCause", run.failureCause);
        body.put("exitCode", run.exitCode);
        body.put("message", SecretRedactor.redact(run.message));
        emit(EventType.RUN_FAILED, sweep, body);
    }

    /**
     * The run succeeded: run.new_best when its last objective value (as ingested by now) beats the last values of
     * every other succeeded run of the sweep.
     */
    public void runSucceeded(RunEntity run) {
        SweepEntity sweep = em.find(SweepEntity.class, run.sweepId);
        if (sweep == null || sweep.metricName == null) {
            return;
        }
        boolean maximize = "maximize".equals(sweep.metricGoal);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select r.id, s.last_value from runs r
                join metric_summaries s on s.run_id = r.id
                join metric_keys k on k.id = s.key_id and k.name = ?2
                where r.sweep_id = ?1 and (r.state = 'SUCCEEDED' or r.id = ?3) and s.last_value <> 'NaN'::float8""")
                .setParameter(1, run.sweepId).setParameter(2, sweep.metricName).setParameter(3, run.id)
                .getResultList();
        Double mine = null;
        Double bestOther = null;
        for (Object[] r : rows) {
            double v = ((Number) r[1]).doubleValue();
            if (((Number) r[0]).longValue() == run.id) {
                mine = v;
            } else if (bestOther == null || (maximize ? v > bestOther : v < bestOther)) {
                bestOther = v;
            }
        }
        if (mine == null || bestOther != null && !(maximize ? mine > bestOther : mine < bestOther)) {
            return;
        }
        Map<String, Object> body = base(EventType.NEW_BEST_RUN, sweep);
        putRun(body, run);
        body.put("metric", sweep.metricName);
        body.put("goal", sweep.metricGoal);
        body.put("value", mine);
        body.put("previousBest", bestOther);
        body.put("parameters", run.parameters == null ? null : CanonicalJson.read(run.parameters, Object.class));
        emit(EventType.NEW_BEST_RUN, sweep, body);
    }

    private static Map<String, Object> base(EventType type, SweepEntity sweep) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.wireName());
        body.put("occurredAt", Instant.now().toString());
        body.put("project", sweep.project.name);
        body.put("sweepId", sweep.id);
        body.put("sweepName", sweep.name);
        return body;
    }

    private static void putRun(Map<String, Object> body, RunEntity run) {
        body.put("runId", run.id);
        body.put("runIndex", run.index);
        body.put("attempt", run.attempt);
    }

    private void emit(EventType type, SweepEntity sweep, Map<String, Object> body) {
        store.emit(sweep.project.name, type, CanonicalJson.write(body));
    }
}
