package dev.reprise.orchestrator.domain.search;

import dev.reprise.orchestrator.domain.spec.SweepSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Expands a validated sweep into the parameter sets of its trials, in trial-index order. */
public final class TrialPlanner {

    private TrialPlanner() {
    }

    /** Eager sweeps get all their trials at submission; adaptive ones none (they are suggested later). */
    public static List<Map<String, Object>> plan(SweepSpec spec) {
        return spec.method().adaptive() ? List.of() : plan(spec, 0, spec.maxTrials());
    }

    /** The trials with indices [from, to): used to extend a sweep without changing its earlier trials. */
    public static List<Map<String, Object>> plan(SweepSpec spec, int from, int to) {
        if (!(SearchStrategy.of(spec.method()) instanceof SearchStrategy.Eager strategy)) {
            throw new IllegalStateException(spec.method().wireName() + " trials are suggested one by one");
        }
        List<Map<String, Object>> trials = new ArrayList<>(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            trials.add(strategy.point(spec, i));
        }
        return trials;
    }
}
