package dev.reprise.orchestrator.domain.search;

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

    public static Map<String, Object> tree(SweepSpec spec, int index, Map<String, Object> parameters) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("image", spec.image());
        t.put("argv", CommandTemplate.render(spec, parameters));
        t.put("env", spec.env());
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("cpu", spec.resources().cpu());
        resources.put("memory", spec.resources().memory());
        resources.put("gpu_count", spec.resources().gpuCount());
        resources.put("gpu_type", spec.resources().gpuType());
        t.put("resources", resources);
        t.put("parameters", parameters);
        t.put("seed", trialSeed(spec.seed(), index));
        t.put("data", spec.data() == null ? null : spec.data().snapshot());
        return t;
    }
}
