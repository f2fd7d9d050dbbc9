package dev.reprise.orchestrator.application;

import dev.reprise.orchestrator.persistence.CanonicalJson;
import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.domain.error.InvalidSweepException;
import dev.reprise.orchestrator.domain.error.ConflictException;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.domain.compare.Comparison;
import dev.reprise.orchestrator.domain.compare.Curve;
import dev.reprise.orchestrator.domain.compare.RunComparator;
import dev.reprise.orchestrator.domain.compare.Tolerance;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.provenance.Provenance;
import dev.reprise.orchestrator.domain.spec.SpecOverrides;
import dev.reprise.orchestrator.persistence.MetricCurves;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.SnapshotRepository;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.SweepRepository;
import dev.reprise.orchestrator.domain.error.InvalidSnapshotException;
import dev.reprise.api.snapshots.SnapshotRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Re-runs, comparisons and clones. A re-run is a new single-trial sweep whose spec pins everything the original run
 * was made of (parameters as constants, the data snapshot id, the image by the digest that was pulled) and whose one
 * run gets the original's seed; see docs/adr/0004-reruns-are-single-trial-sweeps.md.
 */
@ApplicationScoped
public class ReproService {

    private static final int MAX_NAME = 40;

    private final SweepService sweepService;
    private final ProvenanceService provenance;
    private final RunRepository runs;
    private final SweepRepository sweeps;
    private final SnapshotRepository snapshots;
    private final MetricCurves curves;
    private final SnapshotService snapshotService;
    private final int maxComparePoints;

    public ReproService(SweepService sweepService, ProvenanceService provenance, RunRepository runs,
            SweepRepository sweeps, SnapshotRepository snapshots, MetricCurves curves, SnapshotService snapshotService,
            @ConfigProperty(name = "reprise.compare.max-points", defaultValue = "1000000") int maxComparePoints) {
        this.sweepService = sweepService;
        this.provenance = provenance;
        this.runs = runs;
        this.sweeps = sweeps;
        this.snapshots = snapshots;
        this.curves = curves;
        this.snapshotService = snapshotService;
        this.maxComparePoints = maxComparePoints;
    }

    /** Creates the re-run of run {@code id}: a new sweep with one run pinned to the original's provenance. */
    @Transactional
    public SweepService.Submitted rerun(long id, Caller caller) {
        RunEntity run = runs.findByIdOptional(id).orElseThrow(() -> new NotFoundException("run", id));
        if (run.provenanceRecordedAt == null) {
            throw new ConflictException("run " + id + " has no provenance record (it was created before Reprise "
                    + "recorded provenance), so it cannot be re-run exactly; clone its sweep instead", null);
        }
        Provenance p = provenance.of(run);
        if (p.dataSnapshotId() != null && snapshots.lockShared(p.dataSnapshotId()).isEmpty()) {
            throw new ConflictException("run " + id + " trained on data snapshot " + p.dataSnapshotId()
                    + ", which was deleted; it cannot be re-run exactly", "data.snapshotId");
        }
        if (p.dataSnapshotId() != null) {
            checkBlobs(id, p.dataSnapshotId());
        }
        SweepEntity source = sweepService.get(run.sweepId);
        Map<String, Object> doc = normalised(source);
        doc.put("name", freeName(source.project.id, source.name, "-rerun-" + id));
        doc.put("method", "grid");
        doc.put("max_trials", 1);
        doc.put("parallelism", 1);
        doc.remove("max_failed_trials");
        doc.remove("early_terminate");
        doc.put("image", p.pinnedImage());
        Map<String, Object> params = new LinkedHashMap<>();
        p.parameters().forEach((k, v) -> params.put(k, Map.of("value", v)));
        doc.put("parameters", params);
        if (p.dataSnapshotId() != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> data = new LinkedHashMap<>((Map<String, Object>) doc.get("data"));
            data.put("snapshot", p.dataSnapshotId());
            doc.put("data", data);
        }
        return sweepService.submit(doc, CanonicalJson.write(doc), "json",
                new SweepService.Origin(null, null, null, run), caller);
    }

    /** Every blob of the snapshot must still be in the store, or the re-run would fail before training. */
    private void checkBlobs(long runId, String snapshotId) {
        SnapshotService.Download snapshot = snapshotService.detail(SnapshotRef.parse(snapshotId).orElseThrow());
        try {
            snapshotService.verifyBlobs(snapshot.manifest(), null);
        } catch (InvalidSnapshotException e) {
            String first = e.errors().isEmpty() ? "" : ": " + e.errors().get(0).message()
                    + (e.errors().size() > 1 ? " (and " + (e.errors().size() - 1) + " more)" : "");
            throw new ConflictException("run " + runId + " cannot be re-run exactly: its data snapshot " + snapshotId
                    + " is no longer complete in the store" + first, "data.snapshotId");
        }
    }

    /**
     * A changed copy of sweep {@code id}: its normalised spec (same seed, so unchanged trials are the same trials)
     * with the overrides applied, validated like any submission.
     */
    @Transactional
    public SweepService.Submitted cloneSweep(long id, String name, List<SpecOverrides.Override> overrides,
            Caller caller) {
        SweepEntity source = sweepService.get(id);
        Map<String, Object> doc = normalised(source);
        if (name != null) {
            doc.put("name", name);
        } else {
            doc.put("name", freeName(source.project.id, source.name, "-clone"));
        }
        if (source.dataSnapshotId != null && doc.get("data") instanceof Map<?, ?> data) {
            // a clone trains on the data its source was frozen to, unless the overrides name other data
            Map<String, Object> pinned = new LinkedHashMap<>();
            data.forEach((k, v) -> pinned.put(String.valueOf(k), v));
            pinned.put("snapshot", source.dataSnapshotId);
            doc.put("data", pinned);
        }
        SpecOverrides.Result result = SpecOverrides.apply(doc, overrides);
        if (result instanceof SpecOverrides.Refused refused) {
            throw new InvalidSweepException(refused.errors());
        }
        Map<String, Object> changed = ((SpecOverrides.Applied) result).document();
        return sweepService.submit(changed, CanonicalJson.write(changed), "json",
                new SweepService.Origin(null, null, id, null), caller);
    }

    /** Compares run {@code a} with run {@code b} within the tolerance. */
    public Comparison compare(long a, long b, Tolerance tolerance) {
        RunEntity runA = runs.findByIdOptional(a).orElseThrow(() -> new NotFoundException("run", a));
        RunEntity runB = runs.findByIdOptional(b).orElseThrow(() -> new NotFoundException("run", b));
        Provenance pa = provenance.of(runA);
        Provenance pb = provenance.of(runB);
        return RunComparator.compare(pa, pb, new RunComparator.Outcome(runA.state.name(), runA.exitCode),
                new RunComparator.Outcome(runB.state.name(), runB.exitCode), curves(runA), curves(runB), tolerance);
    }

    private Map<String, Curve> curves(RunEntity run) {
        return curves.of(run.id, run.attempt, maxComparePoints).orElseThrow(() -> new BadInputException("id",
                "run " + run.id + " has more than " + maxComparePoints + " metric points, more than a comparison "
                        + "reads (reprise.compare.max-points)"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> normalised(SweepEntity sweep) {
        return new LinkedHashMap<>(CanonicalJson.read(sweep.spec, LinkedHashMap.class));
    }

    /** {@code base + suffix}, shortened to the name limit, with -2, -3, ... until no sweep of the project has it. */
    private String freeName(long projectId, String base, String suffix) {
        for (int n = 1; ; n++) {
            String tail = n == 1 ? suffix : suffix + "-" + n;
            String head = base.length() + tail.length() > MAX_NAME ? base.substring(0, MAX_NAME - tail.length())
                    : base;
            head = head.replaceAll("-+$", "");
            String name = head + tail;
            if (sweeps.findByProjectAndName(projectId, name).isEmpty()) {
                return name;
            }
        }
    }
}
