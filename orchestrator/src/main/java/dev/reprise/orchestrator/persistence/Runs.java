package dev.reprise.orchestrator.persistence;

import dev.reprise.orchestrator.domain.provenance.RunOrigin;
import dev.reprise.orchestrator.domain.security.SecretRedactor;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.search.TrialConfig;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import dev.reprise.orchestrator.persistence.RunEntity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** New runs with the provenance known when they are created (image reference, config hash, seed, data, git). */
public final class Runs {

    private Runs() {
    }

    /**
     * A queued run with its provenance recorded: from here on the database refuses to change it (except the
     * observed image digest, node, GPU model and agent version, filled once per attempt).
     */
    public static RunEntity newRun(SweepSpec spec, long sweepId, int index, Map<String, Object> params,
            Instant now, String snapshotId, RunOrigin origin) {
        RunEntity run = new RunEntity();
        run.sweepId = sweepId;
        run.index = index;
        run.parameters = CanonicalJson.write(params);
        run.state = RunState.QUEUED;
        run.attempt = 0;
        run.createdAt = now;
        run.imageRef = spec.image();
        run.seed = origin.pinnedSeed() != null ? origin.pinnedSeed() : TrialConfig.trialSeed(spec.seed(), index);
        run.configHash = CanonicalJson.sha256(CanonicalJson.canonical(TrialConfig.tree(spec, params, run.seed,
                snapshotId)));
        run.dataSnapshotId = snapshotId;
        Map<String, Object> env = new LinkedHashMap<>(SecretRedactor.redact(spec.env()));
        // a secret reference is recorded as what it names, never its value (which the orchestrator may not know)
        spec.secretEnv().forEach((name, ref) -> env.put(name, "secret " + ref.secret() + ", key " + ref.key()));
        run.env = CanonicalJson.write(env);
        run.executor = origin.executor();
        run.runtime = origin.runtime();
        run.rerunOf = origin.rerunOf();
        run.provenanceRecordedAt = now;
        if (spec.git() != null) {
            run.gitRepo = spec.git().repo();
            run.gitCommit = spec.git().commit();
            run.gitDirty = spec.git().dirty();
        }
        return run;
    }
}
