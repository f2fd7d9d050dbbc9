package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.persistence.CanonicalJson;
import dev.reprise.orchestrator.persistence.Runs;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.search.Trial;
import dev.reprise.orchestrator.domain.search.tpe.TpeSearcher;
import dev.reprise.orchestrator.domain.search.tpe.WarmStartTrials;
import dev.reprise.orchestrator.domain.spec.Goal;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import dev.reprise.orchestrator.persistence.ObjectiveQueries;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.SweepRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
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
 * after a restart the same history and seed give the same next suggestions: no search state is kept between calls
 * (only the parsed parameters of known runs, which never change), runs are read in index order and the objective of
 * each is its stored best value.
 */
@ApplicationScoped
public class BayesSuggester {

    private static final Set<RunState> PENDING = EnumSet.of(RunState.QUEUED, RunState.LAUNCHING, RunState.RUNNING,
            RunState.PREEMPTED);
    private static final Set<RunState> INFORMATIVE = EnumSet.of(RunState.SUCCEEDED, RunState.STOPPED_EARLY);
    /**
     * How long a finished run whose agent never reported the attempt finished waits before its objective counts. The
     * agent sends that report after its last metric, so until it is ingested the stored best value may be short of the
     * last epochs: a suggestion made from it would depend on how far the ingest had got.
     */
    static final Duration UNREPORTED_GRACE = Duration.ofSeconds(30);

    private final SweepRepository sweeps;
    private final RunRepository runs;
    private final ObjectiveQueries objectives;
    private final StoredSpecs specs;
    /**
     * Parsed parameters of the runs of recently searched sweeps, by run index. A run's parameters never change after
     * it is created, so this only saves reading and parsing them again: everything that does change (states,
     * objective values) is read from the database on every call, and a restarted orchestrator reads the same.
     */
    private final Map<Long, List<Map<String, Object>>> parameters = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, List<Map<String, Object>>> eldest) {
                    return size() > 64;
                }
            });
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
        return sweeps.adaptiveCandidates(dev.reprise.orchestrator.domain.spec.Method.adaptiveWireNames());
    }

    /** Adds suggested runs until the sweep's parallelism is used or max_trials is reached; returns how many. */
    @Transactional
    public int topUp(long sweepId) {
        SweepEntity sweep = sweeps.findById(sweepId, LockModeType.PESSIMISTIC_WRITE);
        if (sweep == null || sweep.status.terminal() || sweep.paused) {
            return 0;
        }
        SweepSpec spec = specs.of(sweep);
        List<Trial> history = rows(sweepId, spec, null);
        long pending = countPending(sweepId);
        int existing = history.size();
        int want = (int) Math.min(sweep.parallelism - pending, sweep.maxTrials - existing);
        if (want <= 0) {
            return 0;
        }
        List<Trial> warm = warmStart(sweep, spec);
        Instant now = Instant.now();
        int created = 0;
        for (int k = 0; k < want; k++) {
            int index = existing + k;
            Optional<Map<String, Object>> next = TpeSearcher.suggest(spec.parameters(), spec.metric().goal(), history,
                    warm, spec.seed(), index, settings(spec));
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

    /**
     * The parameters the next run of the sweep would get, without creating it: the same computation as
     * {@link #topUp}, read-only (the benchmark times it; it ignores pause and max_trials).
     */
    @Transactional
    public Optional<Map<String, Object>> peek(long sweepId) {
        SweepEntity sweep = sweeps.findById(sweepId);
        if (sweep == null) {
            return Optional.empty();
        }
        SweepSpec spec = specs.of(sweep);
        List<Trial> history = rows(sweepId, spec, null);
        return TpeSearcher.suggest(spec.parameters(), spec.metric().goal(), history, warmStart(sweep, spec),
                spec.seed(), history.size(), settings(spec));
    }

    private static TpeSearcher.Settings settings(SweepSpec spec) {
        return new TpeSearcher.Settings(spec.startupTrialsOrDefault(), TpeSearcher.Settings.DEFAULTS.candidates());
    }

    private long countPending(long sweepId) {
        return runs.countInStates(sweepId, PENDING);
    }

    /**
     * The sweep's runs in index order (a stable order across restarts), valued by this spec's metric, as trials:
     * succeeded and early-stopped runs carry their best value; running and failed ones inform no density.
     */
    private List<Trial> rows(long sweepId, SweepSpec spec, Instant finishedBy) {
        List<Map<String, Object>> known = parameters.getOrDefault(sweepId, List.of());
        List<ObjectiveQueries.TrialRow> rows = objectives.trialRows(sweepId, spec.metric().name(),
                spec.metric().goal() == Goal.MAXIMIZE, INFORMATIVE, finishedBy, known.size(), UNREPORTED_GRACE);
        List<Map<String, Object>> all = new ArrayList<>(known);
        List<Trial> history = new ArrayList<>(rows.size() + 8);
        for (ObjectiveQueries.TrialRow r : rows) {
            Map<String, Object> params;
            if (r.parameters() == null && r.index() < known.size()) {
                params = known.get(r.index());
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> read = Map.copyOf(CanonicalJson.read(r.parameters(), LinkedHashMap.class));
                params = read;
                if (finishedBy == null && r.index() == all.size()) {
                    all.add(read);
                }
            }
            history.add(new Trial(r.index(), params,
                    INFORMATIVE.contains(r.state()) && r.settled() ? r.best() : null));
        }
        if (finishedBy == null && all.size() > known.size()) {
            parameters.put(sweepId, List.copyOf(all));
        }
        return history;
    }

    /**
     * The seeds from the sweep's {@code warm_start}: the earlier sweep's runs that succeeded or stopped early before
     * this sweep was created (so the seeds never change while this sweep runs), valued by this sweep's metric.
     */
    private List<Trial> warmStart(SweepEntity sweep, SweepSpec spec) {
        if (spec.warmStart() == null || spec.warmStart().sweepId() == null) {
            return List.of();
        }
        SweepEntity earlier = sweeps.findById(spec.warmStart().sweepId());
        if (earlier == null) {
            return List.of();
        }
        List<Trial> trials = rows(earlier.id, spec, sweep.createdAt);
        return WarmStartTrials.seeds(spec.parameters(), specs.of(earlier).parameters(), trials);
    }
}
