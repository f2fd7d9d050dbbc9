package dev.reprise.orchestrator.application;

import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.run.SweepStatus;
import dev.reprise.orchestrator.persistence.PagedResult;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.SweepRepository;
import dev.reprise.orchestrator.persistence.SweepTableQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the REST resources and the dashboard read about sweeps and their runs: pages, run counts, the best run, the
 * run table, coordinates. The one way from {@code api} to the sweep queries of {@code persistence}; callers check
 * access first (the resources' {@code @Access}).
 */
@ApplicationScoped
public class SweepReads {

    private final SweepRepository sweeps;
    private final RunRepository runs;
    private final SweepTableQuery table;

    public SweepReads(SweepRepository sweeps, RunRepository runs, SweepTableQuery table) {
        this.sweeps = sweeps;
        this.runs = runs;
        this.table = table;
    }

    /** A page of sweeps of the visible projects (null: all), newest first, optionally of one project and status. */
    public PagedResult<SweepEntity> page(Collection<String> visibleProjects, String project, SweepStatus status,
            int page, int size) {
        return sweeps.page(visibleProjects, project, status, page, size);
    }

    /** Number of runs per state for each of the given sweeps. */
    public Map<Long, Map<RunState, Long>> runCounts(List<Long> sweepIds) {
        return runs.countsByState(sweepIds);
    }

    /** The best run so far of each of the given sweeps that has an objective and a reported value. */
    public Map<Long, SweepTableQuery.Best> best(Collection<Long> sweepIds) {
        return table.best(sweepIds);
    }

    /** A page of the sweep's run table with the given metric columns. */
    public SweepTableQuery.Page table(long sweepId, Collection<RunState> states, SweepTableQuery.Sort sort,
            List<String> metricKeys, int page, int size) {
        return table.page(sweepId, states, sort, metricKeys, page, size);
    }

    /** The metric keys the sweep's runs reported. */
    public List<String> metricKeys(long sweepId) {
        return table.metricKeys(sweepId);
    }

    /** Each run's parameters and last value of the metric, best first. */
    public List<SweepTableQuery.Coordinate> coordinates(long sweepId, String metricKey, boolean maximize, int limit) {
        return table.coordinates(sweepId, metricKey, maximize, limit);
    }

    /** The sweep a run belongs to. */
    public Optional<Long> sweepOfRun(long runId) {
        return table.sweepOfRun(runId);
    }

    /** A page of the sweep's runs. */
    public PagedResult<RunEntity> runs(long sweepId, Sort sort, int page, int size) {
        return runs.pageOfSweep(sweepId, sort, page, size);
    }

    /** The sweep's run of index 0 (a re-run's single trial); null when it has none. */
    public RunEntity firstRun(long sweepId) {
        return runs.firstOfSweep(sweepId);
    }
}
