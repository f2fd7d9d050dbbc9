package dev.reprise.orchestrator.domain.search;

import dev.reprise.orchestrator.domain.random.SplitMix64;
import dev.reprise.orchestrator.domain.spec.ParameterSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Random search: trial {@code index} draws every parameter, in declaration order, from a generator seeded by the
 * sweep seed and the index alone — the same seed gives the same trials, and raising max_trials later keeps them.
 */
public final class RandomSampler {

    private RandomSampler() {
    }

    public static Map<String, Object> point(Map<String, ParameterSpec> parameters, long seed, long index) {
        SplitMix64 rng = SplitMix64.forTrial(seed, index);
        Map<String, Object> point = new LinkedHashMap<>();
        parameters.forEach((name, spec) -> point.put(name, spec.sample(rng)));
        return point;
    }
}
