package dev.reprise.orchestrator.domain.search;

import java.util.Map;

/**
 * A trial a searcher learns from: its parameters and, once finished, its objective value (null while it runs or
 * when it failed). Values are as reported; the searcher applies the goal's direction itself.
 */
public record Trial(int index, Map<String, Object> parameters, Double value) {

    public Trial {
        parameters = Map.copyOf(parameters);
    }

    public boolean finished() {
        return value != null && Double.isFinite(value);
    }
}
