package dev.reprise.orchestrator.application;

import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.SweepRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Provenance read the other way round: the re-runs of a run, and the re-runs of a sweep's runs and the sweeps cloned
 * from it (a re-run names the run it re-runs, a clone the sweep it came from), at most {@link #LIMIT} of each, oldest
 * first.
 */
@ApplicationScoped
public class DerivedRuns {

    public static final int LIMIT = 200;

    /** A run that re-runs another, with its sweep's name (null when that sweep is gone). */
    public record Rerun(long runId, long rerunOf, long sweepId, String sweepName, String state) {
    }

    /** A sweep cloned from another. */
    public record Clone(long sweepId, String name) {
    }

    /** What derives from one sweep. */
    public record Derived(List<Rerun> reruns, List<Clone> clones) {
    }

    private final RunRepository runs;
    private final SweepRepository sweeps;

    public DerivedRuns(RunRepository runs, SweepRepository sweeps) {
        this.runs = runs;
        this.sweeps = sweeps;
    }

    /** The runs that re-run run {@code id}; {@link NotFoundException} when there is no such run. */
    @Transactional
    public List<Rerun> rerunsOf(long id) {
        runs.findByIdOptional(id).orElseThrow(() -> new NotFoundException("run", id));
        return withSweepNames(runs.find("rerunOf = ?1 order by id", id).page(0, LIMIT).list());
    }

    /** The re-runs of sweep {@code id}'s runs and the sweeps cloned from it. */
    @Transactional
    public Derived derivedFrom(long id) {
        sweeps.findByIdOptional(id).orElseThrow(() -> new NotFoundException("sweep", id));
        List<RunEntity> reruns = runs.find("rerunOf in (select r.id from RunEntity r where r.sweepId = ?1) order by id",
                id).page(0, LIMIT).list();
        List<Clone> clones = sweeps.find("clonedFrom = ?1 order by id", id).page(0, LIMIT).list().stream()
                .map(s -> new Clone(s.id, s.name)).toList();
        return new Derived(withSweepNames(reruns), clones);
    }

    private List<Rerun> withSweepNames(List<RunEntity> found) {
        Map<Long, SweepEntity> owners = found.isEmpty() ? Map.of()
                : sweeps.list("id in ?1", found.stream().map(r -> r.sweepId).distinct().toList()).stream()
                        .collect(Collectors.toMap(s -> s.id, Function.identity()));
        return found.stream().map(r -> new Rerun(r.id, r.rerunOf, r.sweepId,
                owners.containsKey(r.sweepId) ? owners.get(r.sweepId).name : null, r.state.name())).toList();
    }
}
