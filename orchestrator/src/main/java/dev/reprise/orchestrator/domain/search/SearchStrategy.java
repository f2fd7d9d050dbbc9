package dev.reprise.orchestrator.domain.search;

import dev.reprise.orchestrator.domain.spec.Method;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import java.util.Map;

/**
 * How a sweep chooses its trials. Eager strategies place trial {@code i} as a pure function of the spec and {@code i},
 * so every trial is planned at submission and raising max_trials keeps the earlier ones; adaptive strategies are asked
 * by the suggestion loop for one trial at a time, given the trials that finished. A new algorithm is one class
 * implementing one of the two, its case in {@link #of(Method)}, and its spec section.
 */
public sealed interface SearchStrategy permits SearchStrategy.Eager, SearchStrategy.Adaptive {

    /** Every trial known up front. */
    non-sealed interface Eager extends SearchStrategy {
        Map<String, Object> point(SweepSpec spec, long index);
    }

    /** Trials suggested one by one by the scheduler's suggestion loop (TPE: {@code tpe.TpeSearcher}). */
    non-sealed interface Adaptive extends SearchStrategy {
    }

    Eager GRID = (spec, index) -> GridExpander.point(spec.parameters(), index);
    Eager RANDOM = (spec, index) -> RandomSampler.point(spec.parameters(), spec.seed(), index);
    Eager SOBOL = (spec, index) -> SobolSampler.point(spec.parameters(), spec.seed(), index);
    Adaptive TPE = new Adaptive() {
    };

    static SearchStrategy of(Method method) {
        return switch (method) {
            case GRID -> GRID;
            case RANDOM -> RANDOM;
            case SOBOL -> SOBOL;
            case BAYES -> TPE;
        };
    }
}
