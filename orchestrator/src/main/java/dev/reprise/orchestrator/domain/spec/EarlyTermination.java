package dev.reprise.orchestrator.domain.spec;

/**
 * The {@code early_terminate} block: W&B's {@code hyperband} (asynchronous successive halving over the objective's
 * steps) or Reprise's {@code median} stopping.
 */
public sealed interface EarlyTermination {

    String type();

    /** Rungs at {@code minIter * eta^k} steps up to {@code maxIter}. */
    record Hyperband(long minIter, long maxIter, double eta) implements EarlyTermination {
        public String type() {
            return "hyperband";
        }
    }

    /** After {@code minIter} steps and {@code minTrials} completed trials, stop trials below the median. */
    record Median(long minIter, int minTrials) implements EarlyTermination {
        public String type() {
            return "median";
        }
    }
}
