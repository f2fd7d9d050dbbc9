package dev.reprise.orchestrator.domain.search;

import dev.reprise.orchestrator.domain.spec.CommandTemplate;
import dev.reprise.orchestrator.domain.random.SplitMix64;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that decides what one trial computes: image, argv, environment, resources, parameters, data and its
 * own seed. Its canonical hash is the run's config hash: two runs with equal hashes ran the same configuration.
 */
public final class TrialConfig {

    private TrialConfig() {
    }

    /** The trial's own seed, derived from the sweep seed and the trial index (exposed as REPRISE_SEED). */
    public static long trialSeed(long sweepSeed, int index) {
        return SplitMix64.forTrial(sweepSeed, index).nextLong();
    }

    /**
     * The trial's configuration. {@code seed} is the run's recorded seed (a re-run pins its original's) and
     * {@code dataSnapshotId} the snapshot id resolved at submission: the hash changes when the data does, even when
     * the spec names the snapshot the same way ({@code digits:latest}).
     */
    public static Map<String, Object> tree(SweepSpec spec, Map<String, Object> parameters, long seed,
            String dataSnapshotId) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("image", spec.image());
        t.put("argv", CommandTemplate.render(spec, parameters));
        t.put("env", spec.envTree()); // a secret by its reference, never its value
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("cpu", spec.resources().cpu());
        resources.put("memory", spec.resources().memory());
        resources.put("gpu_count", spec.resources().gpuCount());
        resources.put("gpu_type", spec.resources().gpuType());
        if (spec.resources().distributed()) {
            resources.put("nodes", spec.resources().nodes()); // absent for one node: existing config hashes stay
        }
        t.put("resources", resources);
        t.put("parameters", parameters);
        t.put("seed", seed);
        t.put("data", dataSnapshotId);
        return t;
    }
}
