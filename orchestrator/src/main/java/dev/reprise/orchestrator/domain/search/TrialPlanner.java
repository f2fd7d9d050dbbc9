package dev.reprise.orchestrator.domain.search;

import dev.reprise.orchestrator.domain.spec.SweepSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Expands a validated sweep into the parameter sets of its trials, in trial-index order. */
public final class TrialPlanner {

    private TrialPlanner() {
    }

    public static List<Map<String, Object>> plan(SweepSpec spec) {
        List<Map<String, Object>> trials = new ArrayList<>(spec.maxTrials());
        for (int i = 0; i < spec.maxTrials(); i++) {
            trials.add(switch (spec.method()) {
                case GRID -> GridExpander.point(spec.parameters(), i);
                case RANDOM -> RandomSampler.point(spec.parameters(), spec.seed(), i);
            });
        }
        return trials;
    }
}
