package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.application.CanonicalJson;
import dev.reprise.orchestrator.application.Runs;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.search.Trial;
import dev.reprise.orchestrator.domain.search.tpe.TpeSearcher;
import dev.reprise.orchestrator.domain.spec.Goal;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import dev.reprise.orchestrator.persistence.ObjectiveQueries;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.SweepRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Creates the runs of bayes sweeps one suggestion at a time, as slots free up: each new run's parameters come from
 * TPE over the sweep's finished runs. All search state is in the database (runs and their metric summaries), so
 * after a restart the same history and seed give the same next suggestions.
 */
@ApplicationScoped
public class BayesSuggester {

    private static final Set<RunState> PENDING = EnumSet.of(RunState.QUEUED, RunState.LAUNCHING, RunState.RUNNING,
            RunState.PREEMPTED);
    private static final Set<RunState> INFORMATIVE = EnumSet.of(RunState.SUCCEEDED, RunState.STOPPED_EARLY);

    private final SweepRepository sweeps;
    private final RunRepository runs;
    private final ObjectiveQueries objectives;
    private final StoredSpecs specs;
    private final Executors executors;

    public BayesSuggester(SweepRepository sweeps, RunRepository runs, ObjectiveQueries objectives,
            StoredSpecs specs, Executors executors) {
        this.sweeps = sweeps;
        this.runs = runs;
        this.objectives = objectives;
        this.specs = specs;
        this.executors = executors;
    }

    /** Ids of the bayes sweeps that may need more runs. */
    @Transactional
    public List<Long> candidates() {
        return sweeps.getEntityManager().createQuery("select s.id from SweepEntity s where s.method = 'bayes' "
                        + "and s.paused = false and s.status in :statuses order by s.id", Long.class)
                .setParameter("statuses", List.of(dev.reprise.orchestrator.domain.run.SweepStatus.QUEUED,
                        dev.reprise.orchestrator.domain.run.SweepStatus.RUNNING))
                .getResultList();
    }

    /** Adds suggested runs until the sweep's parallelism is used or max_trials is reached; returns how many. */
    @Transactional
    public int topUp(long sweepId) {
        SweepEntity sweep = sweeps.findById(sweepId, LockModeType.PESSIMISTIC_WRITE);
        if (sweep == null || sweep.status.terminal() || sweep.paused) {
            return 0;
        }
        List<RunEntity> existing = runs.list("sweepId", io.quarkus.panache.common.Sort.ascending("index"), sweepId);
        long pending = existing.stream().filter(r -> PENDING.contains(r.state)).count();
        int want = (int) Math.min(sweep.parallelism - pending, sweep.maxTrials - existing.size());
        if (want <= 0) {
            return 0;
        }
        SweepSpec spec = specs.of(sweep);
        Goal goal = spec.metric().goal();
        Map<Long, Double> best = objectives.bestValues(sweepId, spec.metric().name(), goal == Goal.MAXIMIZE);
        List<Trial> history = new ArrayList<>();
        for (RunEntity r : existing) {
            @SuppressWarnings("unchecked")
            Map<String, Object> params = CanonicalJson.read(r.parameters, LinkedHashMap.class);
            history.add(new Trial(r.index, params, INFORMATIVE.contains(r.state) ? best.get(r.id) : null));
        }
        Instant now = Instant.now();
        int created = 0;
        for (int k = 0; k < want; k++) {
            int index = existing.size() + k;
            Optional<Map<String, Object>> next = TpeSearcher.suggest(spec.parameters(), goal, history, spec.seed(),
                    index, TpeSearcher.Settings.DEFAULTS);
            if (next.isEmpty()) {
                // a discrete space with no untried point left: the sweep ends with the runs it has
                sweep.maxTrials = index;
                sweep.updatedAt = now;
                break;
            }
            runs.persist(Runs.newRun(spec, sweepId, index, next.get(), now, sweep.dataSnapshotId,
                    executors.origin()));
            history.add(new Trial(index, next.get(), null));
            created++;
        }
        return created;
    }
}
