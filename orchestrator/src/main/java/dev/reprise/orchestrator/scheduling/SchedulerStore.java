package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.run.SweepStatus;
import dev.reprise.orchestrator.domain.scheduling.QueueUsage;
import dev.reprise.orchestrator.domain.scheduling.SweepDemand;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.persistence.RunAttemptLog;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.SchedulerQueries;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.SweepRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The scheduler's reads and writes, each in a short transaction of its own. */
@ApplicationScoped
public class SchedulerStore {

    private final SchedulerQueries queries;
    private final SweepRepository sweeps;
    private final RunRepository runs;
    private final RunAttemptLog attempts;
    private final TrialLaunchFactory launches;

    public SchedulerStore(SchedulerQueries queries, SweepRepository sweeps, RunRepository runs, RunAttemptLog attempts,
            TrialLaunchFactory launches) {
        this.queries = queries;
        this.sweeps = sweeps;
        this.runs = runs;
        this.attempts = attempts;
        this.launches = launches;
    }

    /** What the scheduler needs to decide: each active sweep's demand, and each queue's usage. */
    public record Snapshot(List<SweepDemand> demands, Map<String, QueueUsage> usage) {
    }

    @Transactional
    public Snapshot snapshot(int maxReadyPerSweep) {
        Map<Long, Integer> activeBySweep = queries.activeRunsBySweep();
        if (activeBySweep.isEmpty()) {
            return new Snapshot(List.of(), Map.of());
        }
        Map<Long, List<Long>> readyBySweep = queries.readyRunsBySweep(activeBySweep.keySet(), Instant.now(),
                maxReadyPerSweep);
        List<SweepDemand> demands = new ArrayList<>();
        Map<String, QueueUsage> usage = new HashMap<>();
        for (SweepEntity s : sweeps.byIds(activeBySweep.keySet())) {
            int activeCount = activeBySweep.get(s.id);
            int gpus = launches.gpusPerTrial(s);
            usage.merge(s.queue, new QueueUsage(activeCount, activeCount * gpus),
                    (a, b) -> new QueueUsage(a.running() + b.running(), a.gpus() + b.gpus()));
            if (s.paused) {
                continue; // starts nothing, but its running trials hold their slots and GPUs in the queue
            }
            demands.add(new SweepDemand(s.id, s.project.name, s.queue, s.priority, s.createdAt, s.parallelism,
                    activeCount, gpus, readyBySweep.getOrDefault(s.id, List.of())));
        }
        return new Snapshot(demands, usage);
    }

    /** Trials and GPUs each queue has in use now (paused sweeps included): what the scheduler counts. */
    @Transactional
    public Map<String, QueueUsage> usage() {
        return snapshot(0).usage();
    }

    /** Runs waiting to start, by queue, for sweeps that may still start them. */
    @Transactional
    public Map<String, Long> queuedByQueue() {
        return queries.queuedByQueue();
    }

    /**
     * Moves the chosen runs from QUEUED to LAUNCHING and returns what to launch. A run that changed meanwhile
     * (cancelled, already claimed) is skipped.
     */
    @Transactional
    public List<TrialLaunch> claim(List<Long> runIds) {
        List<TrialLaunch> out = new ArrayList<>();
        Instant now = Instant.now();
        // RunRepository.LOCK_ORDER: the sweeps (by id), then their runs by ascending id; launched in plan order
        Map<Long, Long> sweepOf = new HashMap<>();
        for (Long id : runIds) {
            Long sweepId = runs.sweepIdOf(id);
            if (sweepId != null) {
                sweepOf.put(id, sweepId);
            }
        }
        Map<Long, SweepEntity> sweepCache = new HashMap<>();
        sweepOf.values().stream().distinct().sorted().forEach(sweepId ->
                sweepCache.put(sweepId, sweeps.findById(sweepId, LockModeType.PESSIMISTIC_WRITE)));
        Map<Long, RunEntity> locked = new HashMap<>();
        sweepOf.keySet().stream().sorted().forEach(id ->
                locked.put(id, runs.findById(id, LockModeType.PESSIMISTIC_WRITE)));
        for (Long id : runIds) {
            RunEntity run = locked.get(id);
            if (run == null || run.state != RunState.QUEUED) {
                continue;
            }
            SweepEntity sweep = sweepCache.get(run.sweepId);
            if (sweep.status.terminal() || sweep.paused) {
                continue;
            }
            run.moveTo(RunState.LAUNCHING);
            run.launchedAt = now;
            attempts.launched(run.id, run.attempt, now);
            if (sweep.status == SweepStatus.QUEUED) {
                sweep.moveTo(SweepStatus.RUNNING);
                sweep.updatedAt = now;
            }
            out.add(launches.launch(sweep, run));
        }
        return out;
    }

    /** A launch failed in a way worth retrying: back to QUEUED, not before {@code notBefore}. */
    @Transactional
    public void retryLater(long runId, int attempt, Instant notBefore, String message) {
        RunEntity run = runs.findById(runId, LockModeType.PESSIMISTIC_WRITE);
        if (run != null && run.attempt == attempt && run.state == RunState.LAUNCHING) {
            run.moveTo(RunState.QUEUED);
            run.launchedAt = null;
            run.notBefore = notBefore;
            run.message = message;
        }
    }

    /**
     * Runs the executor should be running: LAUNCHING or RUNNING, with their attempt. Runs an MLflow client created
     * (executor 'mlflow') are driven by that client, never by an executor.
     */
    @Transactional
    public List<RunEntity> activeRuns() {
        return runs.executorDrivenActive();
    }

    /** For relaunching a LAUNCHING run whose trial never appeared in the executor. */
    @Transactional
    public TrialLaunch relaunch(long runId) {
        RunEntity run = runs.findById(runId);
        return run == null || run.state != RunState.LAUNCHING ? null : launches.launch(sweeps.findById(run.sweepId),
                run);
    }

    /** Current state and attempt of the given runs, for matching the executor's trials. */
    @Transactional
    public Map<Long, RunEntity> runsById(List<Long> ids) {
        return runs.byIds(ids);
    }
}
