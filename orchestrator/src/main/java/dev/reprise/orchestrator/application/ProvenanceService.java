package dev.reprise.orchestrator.application;

import dev.reprise.orchestrator.domain.provenance.SpecRedaction;
import dev.reprise.orchestrator.persistence.CanonicalJson;
import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.domain.provenance.Provenance;
import dev.reprise.orchestrator.domain.spec.CommandTemplate;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.SweepRepository;
import dev.reprise.orchestrator.scheduling.StoredSpecs;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a run's provenance record: the run row, its sweep's submitted text and the stored spec. */
@ApplicationScoped
public class ProvenanceService {

    private final RunRepository runs;
    private final SweepRepository sweeps;
    private final StoredSpecs specs;

    public ProvenanceService(RunRepository runs, SweepRepository sweeps, StoredSpecs specs) {
        this.runs = runs;
        this.sweeps = sweeps;
        this.specs = specs;
    }

    /** The record of run {@code id}; 404 when the run does not exist or was created before provenance was kept. */
    public Provenance get(long id) {
        RunEntity run = runs.findByIdOptional(id).orElseThrow(() -> new NotFoundException("run", id));
        return of(run);
    }

    public Provenance of(RunEntity run) {
        if (run.provenanceRecordedAt == null) {
            throw new NotFoundException("run " + run.id + " has no provenance record (it was created before "
                    + "Reprise recorded provenance)");
        }
        SweepEntity sweep = sweeps.findByIdOptional(run.sweepId)
                .orElseThrow(() -> new NotFoundException("sweep", run.sweepId));
        SweepSpec spec = specs.of(sweep);
        Map<String, Object> stored = CanonicalJson.read(run.parameters, LinkedHashMap.class);
        Map<String, Object> params = new LinkedHashMap<>();
        spec.parameters().keySet().forEach(k -> {
            if (stored.containsKey(k)) {
                params.put(k, stored.get(k));
            }
        });
        stored.forEach(params::putIfAbsent);
        @SuppressWarnings("unchecked")
        Map<String, String> storedEnv = run.env == null ? Map.of() : CanonicalJson.read(run.env, LinkedHashMap.class);
        Map<String, String> env = new LinkedHashMap<>();
        spec.env().keySet().forEach(k -> {
            if (storedEnv.containsKey(k)) {
                env.put(k, storedEnv.get(k));
            }
        });
        storedEnv.forEach(env::putIfAbsent);
        return new Provenance(run.id, sweep.id, sweep.name, spec.project(), run.provenanceRecordedAt,
                SpecRedaction.text(sweep.specText, SpecRedaction.secretsOf(spec.env())), sweep.specFormat,
                sweep.specTextHash, run.configHash, params, CommandTemplate.render(spec, params),
                SpecRedaction.env(env), run.imageRef, run.imageDigest, run.executor, run.runtime,
                run.dataSnapshotId, spec.data() == null ? null : spec.data().mountPath(),
                run.gitRepo, run.gitCommit, spec.git() == null ? null : spec.git().branch(), run.gitDirty, run.seed,
                run.agentVersion, run.nodeName, run.gpuModel, run.rerunOf, sweep.clonedFrom);
    }
}
