package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.execution.Executor;
import dev.reprise.orchestrator.execution.LaunchException;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import dev.reprise.orchestrator.persistence.RunEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Joins the database (source of truth for what should run) with the executor (source of truth for what does run)
 * after a restart or a change of leader: a trial that exists is adopted (also one of a run put back in the queue
 * because its launch seemed to fail), a LAUNCHING run with no trial is launched again (same attempt, so no
 * duplicate), a RUNNING run with no trial has vanished, and a trial no run accounts for is stopped (a finished one
 * is left for inspection until the backend removes it).
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    private final SchedulerStore store;
    private final RunLifecycle lifecycle;

    public Reconciler(SchedulerStore store, RunLifecycle lifecycle) {
        this.store = store;
        this.lifecycle = lifecycle;
    }

    /** What one reconciliation did, for logs and tests. */
    public record Result(int adopted, int relaunched, int vanished, int orphansStopped) {
    }

    public Result reconcile(Executor executor) {
        List<Executor.TrialRef> trials = executor.list();
        Set<String> present = new HashSet<>();
        trials.forEach(t -> present.add(t.runId() + "/" + t.attempt()));
        int adopted = 0;
        int relaunched = 0;
        int vanished = 0;
        Set<String> accounted = new HashSet<>();
        for (RunEntity run : store.activeRuns()) {
            String id = run.id + "/" + run.attempt;
            accounted.add(id);
            if (present.contains(id)) {
                adopted++;
            } else if (run.state == RunState.LAUNCHING) {
                TrialLaunch launch = store.relaunch(run.id);
                if (launch != null) {
                    try {
                        executor.launch(launch);
                        relaunched++;
                    } catch (LaunchException e) {
                        LOG.warnf("relaunch of run %s failed: %s", run.id, e.getMessage());
                    }
                }
            } else {
                lifecycle.observe(new TrialObservation.Vanished(run.id, run.attempt, Instant.now()));
                vanished++;
            }
        }
        Map<Long, RunEntity> byId = store.runsById(trials.stream().map(Executor.TrialRef::runId).distinct().toList());
        int orphans = 0;
        for (Executor.TrialRef t : trials) {
            if (!accounted.contains(t.runId() + "/" + t.attempt()) && !t.finished()) {
                RunEntity run = byId.get(t.runId());
                if (run != null && run.state == RunState.QUEUED && run.attempt == t.attempt()) {
                    // a launch that reached the executor although its caller saw it fail (a timeout, an instance
                    // stopped mid-request) and put the run back in the queue: it is this very attempt. Keep it; the
                    // run follows its observations, and launching it again is idempotent.
                    LOG.infof("adopting trial %s/%s of a queued run (its launch was not recorded)", t.runId(),
                            t.attempt());
                    adopted++;
                    continue;
                }
                LOG.infof("stopping trial %s/%s: %s", t.runId(), t.attempt(), run == null ? "no such run"
                        : "run is " + run.state + " at attempt " + run.attempt);
                executor.stop(t.runId(), t.attempt());
                orphans++;
            }
        }
        Result result = new Result(adopted, relaunched, vanished, orphans);
        LOG.infof("reconciled with the executor: %s", result);
        return result;
    }
}
