package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.domain.run.FailureCause;
import dev.reprise.orchestrator.domain.run.RetryPolicy;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.execution.TrialObservation;
import dev.reprise.orchestrator.persistence.RunAttemptLog;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.EnumMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The one place where a run changes state after it was queued. Executors (and the agent's heartbeats) report
 * {@link TrialObservation}s; this class applies them to the run under a row lock, so observations may arrive twice,
 * late or out of order: one for an older attempt or for a finished run is ignored.
 */
@ApplicationScoped
public class RunLifecycle {

    private static final Logger LOG = Logger.getLogger(RunLifecycle.class);

    private final RunRepository runs;
    private final RunAttemptLog attempts;
    private final SweepProgress progress;
    private final RetryPolicy retryPolicy;
    private final SchedulerSignal signal;
    private final WebhookEvents events;

    public RunLifecycle(RunRepository runs, RunAttemptLog attempts, SweepProgress progress, SchedulerConfig config,
            SchedulerSignal signal, WebhookEvents events) {
        this.runs = runs;
        this.events = events;
        this.attempts = attempts;
        this.progress = progress;
        this.signal = signal;
        Map<FailureCause, Integer> retries = new EnumMap<>(FailureCause.class);
        for (FailureCause c : FailureCause.values()) {
            retries.put(c, config.retries().getOrDefault(c.name(), RetryPolicy.DEFAULTS.retries(c)));
        }
        this.retryPolicy = new RetryPolicy(retries, config.maxPreemptions());
    }

    /** Applies one observation; returns whether it changed the run. */
    @Transactional
    public boolean observe(TrialObservation o) {
        RunEntity run = lockRun(o.runId());
        if (run == null || run.attempt != o.attempt() || run.state.terminal()) {
            return false;
        }
        boolean changed = apply(run, o);
        if (changed) {
            progress.refresh(run.sweepId);
            if (run.state == RunState.QUEUED || run.state.terminal()) {
                signal.wake();
            }
        }
        return changed;
    }

    /**
     * Ends a running attempt because its sweep's early-termination rule said so: STOPPED_EARLY, not a failure. The
     * caller stops the trial in the executor after the commit.
     */
    @Transactional
    public boolean stopEarly(long runId, int attempt, String reason,
            dev.reprise.orchestrator.domain.search.stopping.StoppingRule.Explanation explanation) {
        RunEntity run = lockRun(runId);
        if (run == null || run.attempt != attempt || run.state != RunState.RUNNING) {
            return false;
        }
        finish(run, RunState.STOPPED_EARLY, java.time.Instant.now(), null, null, reason);
        run.stopReason = "STOPPED_EARLY";
        run.earlyStop = explanation == null ? null : earlyStopJson(explanation);
        progress.refresh(run.sweepId);
        signal.wake();
        return true;
    }

    /** The explanation as stored on the run and served by the API ({@code earlyStop}). */
    static String earlyStopJson(dev.reprise.orchestrator.domain.search.stopping.StoppingRule.Explanation e) {
        Map<String, Object> tree = new java.util.LinkedHashMap<>();
        tree.put("rule", e.rule());
        tree.put("step", e.step());
        tree.put("value", e.value());
        tree.put("cutoff", e.cutoff());
        tree.put("rank", e.rank());
        tree.put("peers", e.peers());
        tree.put("goal", e.goal().name().toLowerCase(java.util.Locale.ROOT));
        return dev.reprise.orchestrator.persistence.CanonicalJson.write(tree);
    }

    /** Locks the run's sweep, then the run ({@link RunRepository#LOCK_ORDER}); null when there is no such run. */
    private RunEntity lockRun(long runId) {
        Long sweepId = runs.sweepIdOf(runId);
        if (sweepId == null) {
            return null;
        }
        progress.lock(sweepId);
        return runs.findById(runId, LockModeType.PESSIMISTIC_WRITE);
    }

    private boolean apply(RunEntity run, TrialObservation o) {
        if (o instanceof TrialObservation.Launched l) {
            if (run.launchedAt == null) {
                run.launchedAt = l.at();
            }
            attempts.launched(run.id, run.attempt, l.at());
            return false;
        }
        if (o instanceof TrialObservation.Running r) {
            if (run.state == RunState.RUNNING && run.nodeName != null
                    && (run.imageDigest != null || r.imageDigest() == null)) {
                return false;
            }
            run.moveTo(RunState.RUNNING);
            run.startedAt = run.startedAt == null ? r.at() : run.startedAt;
            // observed provenance is filled once per attempt, never overwritten (the runs table enforces it too)
            run.nodeName = run.nodeName != null ? run.nodeName : r.nodeName();
            run.imageDigest = run.imageDigest != null ? run.imageDigest : r.imageDigest();
            attempts.running(run.id, run.attempt, r.at(), r.nodeName(), r.imageDigest());
            return true;
        }
        if (o instanceof TrialObservation.Succeeded s) {
            finish(run, RunState.SUCCEEDED, s.at(), s.exitCode(), null, null);
            run.stopReason = run.stopReason == null ? "COMPLETED" : run.stopReason;
            return true;
        }
        if (o instanceof TrialObservation.Failed f) {
            return failed(run, f.cause(), f.at(), f.exitCode(), f.message());
        }
        if (o instanceof TrialObservation.Preempted p) {
            attempts.ended(run.id, run.attempt, RunState.PREEMPTED, p.at(), null, null, p.message());
            int preemptions = attempts.count(run.id, RunState.PREEMPTED.name());
            if (retryPolicy.requeuesAfterPreemption(preemptions)) {
                requeue(run, "preempted: " + p.message());
            } else {
                String why = "preempted " + preemptions + " times, more than reprise.scheduler.max-preemptions ("
                        + retryPolicy.maxPreemptions() + ") allows; last: " + p.message();
                LOG.warnf("run %s failed: %s", run.id, why);
                finish(run, RunState.FAILED, p.at(), null, FailureCause.PREEMPTED, why);
            }
            return true;
        }
        if (o instanceof TrialObservation.Lost l) {
            finish(run, RunState.LOST, l.at(), null, FailureCause.INFRASTRUCTURE, l.message());
            return true;
        }
        if (o instanceof TrialObservation.Vanished v) {
            return failed(run, FailureCause.INFRASTRUCTURE, v.at(), null, "the trial disappeared from the executor");
        }
        throw new IllegalArgumentException("unknown observation " + o);
    }

    private boolean failed(RunEntity run, FailureCause cause, java.time.Instant at, Integer exitCode,
            String message) {
        attempts.ended(run.id, run.attempt, RunState.FAILED, at, exitCode, cause, message);
        if (retryPolicy.retriesAfter(cause, attempts.count(run.id, cause.name()))) {
            run.exitCode = exitCode;
            requeue(run, cause + (message == null ? "" : ": " + message));
        } else {
            finish(run, RunState.FAILED, at, exitCode, cause, message);
        }
        return true;
    }

    private void requeue(RunEntity run, String why) {
        LOG.debugf("run %s attempt %s requeued (%s)", run.id, Integer.valueOf(run.attempt), why);
        run.moveTo(RunState.QUEUED);
        run.beginNextAttempt(why);
    }

    private void finish(RunEntity run, RunState state, java.time.Instant at, Integer exitCode, FailureCause cause,
            String message) {
        run.moveTo(state);
        run.finishedAt = at;
        run.exitCode = exitCode;
        run.failureCause = cause == null ? null : cause.name();
        run.message = message;
        if (state != RunState.FAILED) {
            attempts.ended(run.id, run.attempt, state, at, exitCode, cause, message);
        }
        // webhook events, in this transaction (the outbox): they commit with the run's new state
        if (state == RunState.FAILED || state == RunState.LOST) {
            events.runFailed(run);
        } else if (state == RunState.SUCCEEDED) {
            events.runSucceeded(run);
        }
    }
}
