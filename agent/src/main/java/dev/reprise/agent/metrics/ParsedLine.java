package dev.reprise.agent.metrics;

import java.util.List;

/**
 * The metrics found in one line.
 *
 * @param step    the line's explicit step, or null when it has none (each key then takes its next counter value)
 * @param metrics the values, in the order they appear
 */
public record ParsedLine(Long step, List<ParsedMetric> metrics) {

    public static final ParsedLine NONE = new ParsedLine(null, List.of());

    public ParsedLine {
        metrics = List.copyOf(metrics);
    }

    public boolean isEmpty() {
        return metrics.isEmpty();
    }
}
