package dev.reprise.orchestrator.domain.search.stopping;

import dev.reprise.orchestrator.domain.spec.EarlyTermination;
import dev.reprise.orchestrator.domain.spec.Goal;
import java.util.List;

/**
 * An early-termination rule: given one running trial's curve and every other trial's, should it stop now? Rules
 * keep no state; the orchestrator asks again as new points arrive, so decisions survive restarts.
 */
public sealed interface StoppingRule permits AshaRule, MedianRule {

    /** The rule a sweep's {@code early_terminate} section asks for. */
    static StoppingRule of(EarlyTermination section, Goal goal) {
        if (section instanceof EarlyTermination.Hyperband h) {
            return new AshaRule(h.minIter(), h.maxIter(), h.eta(), goal);
        }
        EarlyTermination.Median m = (EarlyTermination.Median) section;
        return new MedianRule(m.minIter(), m.minTrials(), goal);
    }

    /** The decision for {@code trial} after its latest point. */
    Decision decide(Curve trial, List<Curve> others);

    /** Continue, or stop with a reason and its explanation, both recorded on the run. */
    record Decision(boolean stop, String reason, Explanation explanation) {
        public static final Decision CONTINUE = new Decision(false, null, null);

        public static Decision stop(String reason, Explanation explanation) {
            return new Decision(true, reason, explanation);
        }
    }

    /**
     * Why a trial was stopped, in figures: the rule, the step it was judged at (the rung for hyperband), the
     * trial's value there (null when it had no finite value), the cut-off it had to beat (the quantile for
     * hyperband, the median for the median rule), its rank among the {@code peers} trials compared (1 = best; the
     * trial itself counted) and the goal.
     */
    record Explanation(String rule, long step, Double value, Double cutoff, int rank, int peers, Goal goal) {
    }
}
