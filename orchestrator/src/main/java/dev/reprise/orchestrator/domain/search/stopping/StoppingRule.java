package dev.reprise.orchestrator.domain.search.stopping;

import java.util.List;

/**
 * An early-termination rule: given one running trial's curve and every other trial's, should it stop now? Rules
 * keep no state; the orchestrator asks again as new points arrive, so decisions survive restarts.
 */
public sealed interface StoppingRule permits AshaRule, MedianRule {

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
