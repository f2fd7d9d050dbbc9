package dev.reprise.orchestrator.domain.spec;

import dev.reprise.orchestrator.domain.search.stopping.AshaRule;
import dev.reprise.orchestrator.domain.search.stopping.MedianRule;
import dev.reprise.orchestrator.domain.search.stopping.StoppingRule;

/**
 * The {@code early_terminate} block: W&B's {@code hyperband} (asynchronous successive halving over the objective's
 * steps) or Reprise's {@code median} stopping.
 */
public sealed interface EarlyTermination {

    /** The rule for a sweep optimising in the given direction. */
    StoppingRule rule(Goal goal);

    String type();

    /** Rungs at {@code minIter * eta^k} steps up to {@code maxIter}. */
    record Hyperband(long minIter, long maxIter, double eta) implements EarlyTermination {
        public StoppingRule rule(Goal goal) {
            return new AshaRule(minIter, maxIter, eta, goal);
        }

        public String type() {
            return "hyperband";
        }
    }

    /** After {@code minIter} steps and {@code minTrials} completed trials, stop trials below the median. */
    record Median(long minIter, int minTrials) implements EarlyTermination {
        public StoppingRule rule(Goal goal) {
            return new MedianRule(minIter, minTrials, goal);
        }

        public String type() {
            return "median";
        }
    }
}
