package dev.reprise.orchestrator.domain.search;

import dev.reprise.orchestrator.domain.spec.SweepSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Expands a validated sweep into the parameter sets of its trials, in trial-index order. */
public final class TrialPlanner {

    private TrialPlanner() {
    }

    /** Grid and random sweeps get all their trials at submission; bayes sweeps none (they are suggested later). */
    public static List<Map<String, Object>> plan(SweepSpec spec) {
        return plan(spec, 0, spec.method() == dev.reprise.orchestrator.domain.spec.Method.BAYES ? 0 : spec.maxTrials());
    }

    /** The trials with indices [from, to): used to extend a sweep without changing its earlier trials. */
    public static List<Map<String, Object>> plan(SweepSpec spec, int from, int to) {
        List<Map<String, Object>> trials = new ArrayList<>(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            trials.add(switch (spec.method()) {
                case GRID -> GridExpander.point(spec.parameters(), i);
                case RANDOM -> RandomSampler.point(spec.parameters(), spec.seed(), i);
                case BAYES -> throw new IllegalStateException("bayes trials are suggested one by one");
            });
        }
        return trials;
    }
}
