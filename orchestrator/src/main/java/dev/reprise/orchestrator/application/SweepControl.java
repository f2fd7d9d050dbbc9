package dev.reprise.orchestrator.application;

import dev.reprise.orchestrator.domain.error.ConflictException;
import dev.reprise.orchestrator.domain.error.FieldError;
import dev.reprise.orchestrator.domain.error.InvalidSweepException;
import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.domain.error.InvalidRequestException;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.run.RunTransitions;
import dev.reprise.orchestrator.domain.run.Transition;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.domain.run.SweepAction;
import dev.reprise.orchestrator.domain.run.SweepStatus;
import dev.reprise.orchestrator.domain.run.SweepTransitions;
import dev.reprise.orchestrator.domain.search.TrialPlanner;
import dev.reprise.orchestrator.domain.spec.ParameterSpec;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.Runs;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.SweepRepository;
import dev.reprise.orchestrator.scheduling.AfterCommit;
import dev.reprise.orchestrator.scheduling.Executors;
import dev.reprise.orchestrator.scheduling.SchedulerSignal;
import dev.reprise.orchestrator.scheduling.StoredSpecs;
import dev.reprise.orchestrator.scheduling.WebhookEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one path every control of a submitted sweep takes (pause, resume, extend, retry, cancel), whether it comes from the
 * REST API, the CLI or the dashboard: lock the sweep, ask {@link SweepTransitions#refusal} whether its status allows
 * the action (409 with the reason if not), apply it, and wake the scheduler or stop the trials after the commit.
 */
@ApplicationScoped
public class SweepControl {

    private final SweepRepository sweeps;
    private final RunRepository runs;
    private final StoredSpecs storedSpecs;
    private final Executors executors;
    private final SchedulerSignal signal;
    private final AfterCommit afterCommit;
    private final int maxTrialsCap;
    private final WebhookEvents events;

    public SweepControl(SweepRepository sweeps, RunRepository runs, StoredSpecs storedSpecs, Executors executors,
            SchedulerSignal signal, AfterCommit afterCommit, WebhookEvents events,
            @ConfigProperty(name = "reprise.sweeps.max-trials", defaultValue = "10000") int maxTrialsCap) {
        this.sweeps = sweeps;
        this.runs = runs;
        this.storedSpecs = storedSpecs;
        this.executors = executors;
        this.signal = signal;
        this.afterCommit = afterCommit;
        this.maxTrialsCap = maxTrialsCap;
        this.events = events;
    }

    /** The sweep after the action, with its runs counted by state (its project loaded), and the runs retried. */
    public record Controlled(SweepEntity sweep, Map<RunState, Long> runCounts, List<RunEntity> retried) {
    }

    /**
     * Applies the action to the sweep: pausing starts no new trials (running ones finish; pausing a paused sweep
     * changes nothing), resuming starts them again, extending raises max_trials (grid sweeps up to their grid size,
     * random and sobol sweeps get the next trials of their sequence, adaptive ones more suggestions; a sweep that
     * ended is reopened), cancelling ends every queued and running trial.
     */
    @Transactional
    public Controlled apply(long id, SweepAction action) {
        SweepEntity sweep = sweeps.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (sweep == null) {
            throw new NotFoundException("sweep", id);
        }
        SweepTransitions.refusal(id, sweep.status, action).ifPresent(reason -> {
            throw new ConflictException(reason, "status");
        });
        Instant now = Instant.now();
        List<RunEntity> retried = List.of();
        if (action instanceof SweepAction.Pause) {
            sweep.paused = true;
        } else if (action instanceof SweepAction.Resume) {
            sweep.paused = false;
            afterCommit.run("waking the scheduler", signal::wake);
        } else if (action instanceof SweepAction.Extend extend) {
            extend(sweep, extend.maxTrials(), now);
            afterCommit.run("waking the scheduler", signal::wake);
        } else if (action instanceof SweepAction.Retry retry) {
            retried = retry(sweep, retry);
            if (!retried.isEmpty()) {
                afterCommit.run("waking the scheduler", signal::wake);
            }
        } else if (action instanceof SweepAction.Cancel) {
            runs.cancelActive(id, now);
            afterCommit.run("stopping the trials of cancelled sweep " + id,
                    () -> executors.active().ifPresent(e -> e.stopSweep(id)));
            sweep.moveTo(SweepStatus.CANCELLED);
            sweep.finishedAt = now;
            events.sweepEnded(sweep, runs.countsByState(List.of(id)).getOrDefault(id, Map.of()));
        }
        sweep.updatedAt = now;
        org.hibernate.Hibernate.initialize(sweep.project);
        return new Controlled(sweep, runs.countsByState(List.of(id)).get(id), retried);
    }

    /**
     * Queues the chosen runs again as their next attempt, in place: same index, parameters and seed (the run row is
     * the same), observed provenance and outcome cleared for the new attempt; its agent restores the run's newest
     * checkpoint. Every named run is checked first ({@link RunTransitions#retry}): one that cannot be retried refuses
     * the whole request, nothing half-done. A sweep that ended is reopened.
     */
    private List<RunEntity> retry(SweepEntity sweep, SweepAction.Retry retry) {
        if (retry.failed() == !retry.runIds().isEmpty()) {
            String why = retry.failed() ? "give either failed: true or runIds, not both"
                    : "name the runs to retry (runIds), or retry every failed, lost or cancelled run (failed: true)";
            throw new InvalidRequestException(List.of(new FieldError(retry.failed() ? "runIds" : "failed", why)));
        }
        List<RunEntity> ofSweep = runs.lockedOfSweep(sweep.id);
        List<RunEntity> chosen = new ArrayList<>();
        if (retry.failed()) {
            ofSweep.stream().filter(r -> RunTransitions.retry(r.state).allowed()).forEach(chosen::add);
        } else {
            Map<Long, RunEntity> byId = new HashMap<>();
            ofSweep.forEach(r -> byId.put(r.id, r));
            List<FieldError> unknown = new ArrayList<>();
            List<FieldError> refused = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < retry.runIds().size(); i++) {
                Long runId = retry.runIds().get(i);
                RunEntity run = runId == null ? null : byId.get(runId);
                if (run == null) {
                    unknown.add(new FieldError("runIds[" + i + "]", "run " + runId + " is not a run of sweep "
                            + sweep.id));
                } else if (seen.add(runId)) {
                    Transition<RunState> t = RunTransitions.retry(run.state);
                    if (t instanceof Transition.Refused<RunState> no) {
                        refused.add(new FieldError("runIds[" + i + "]", "run " + runId + " cannot be retried: "
                                + no.reason()));
                    } else {
                        chosen.add(run);
                    }
                }
            }
            if (!unknown.isEmpty()) {
                throw new InvalidRequestException(unknown);
            }
            if (!refused.isEmpty()) {
                throw new ConflictException(refused, refused.size() == 1 ? refused.get(0).message()
                        : refused.size() + " of the runs cannot be retried");
            }
        }
        chosen.sort(java.util.Comparator.comparingLong(r -> r.id));
        for (RunEntity run : chosen) {
            String why = "retried in place after attempt " + run.attempt + " ended " + run.state
                    + (run.failureCause == null ? "" : " (" + run.failureCause + ")");
            run.retry();
            run.beginNextAttempt(why);
            // and has no outcome yet
            run.finishedAt = null;
            run.exitCode = null;
            run.failureCause = null;
            run.stopReason = null;
        }
        if (!chosen.isEmpty() && sweep.status.terminal()) {
            sweep.moveTo(SweepStatus.RUNNING);
            sweep.finishedAt = null;
        }
        return chosen;
    }

    private void extend(SweepEntity sweep, int maxTrials, Instant now) {
        if (maxTrials <= sweep.maxTrials) {
            throw new InvalidSweepException(List.of(new FieldError("max_trials", "must be greater than the current "
                    + "max_trials (" + sweep.maxTrials + ")")));
        }
        if (maxTrials > maxTrialsCap) {
            throw new InvalidSweepException(List.of(new FieldError("max_trials", "must be at most " + maxTrialsCap
                    + " (the server's limit on trials per sweep)")));
        }
        SweepSpec spec = storedSpecs.of(sweep);
        if (spec.method().enumerable()) {
            long size = ParameterSpec.gridSizeOf(spec.parameters().values());
            if (maxTrials > size) {
                throw new InvalidSweepException(List.of(new FieldError("max_trials", "the grid has only " + size
                        + " combinations")));
            }
        }
        if (!spec.method().adaptive()) {
            List<Map<String, Object>> more = TrialPlanner.plan(spec, sweep.maxTrials, maxTrials);
            for (int i = 0; i < more.size(); i++) {
                runs.persist(Runs.newRun(spec, sweep.id, sweep.maxTrials + i, more.get(i), now,
                        sweep.dataSnapshotId, executors.origin()));
            }
        }
        sweep.maxTrials = maxTrials;
        if (sweep.status.terminal()) {
            sweep.moveTo(SweepStatus.RUNNING);
            sweep.finishedAt = null;
        }
    }
}
