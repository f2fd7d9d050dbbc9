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

    /** Continue, or stop with a reason that is recorded on the run. */
    record Decision(boolean stop, String reason) {
        public static final Decision CONTINUE = new Decision(false, null);

        public static Decision stop(String reason) {
            return new Decision(true, reason);
        }
    }
}
