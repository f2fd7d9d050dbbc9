package dev.reprise.agent.metrics;

import java.util.List;
import java.util.Map;

/**
 * The names that give a line's step instead of being metrics: {@code step}, {@code _step}, {@code global_step},
 * {@code epoch}, in that priority. When a line has several, the first present is the step and the others are
 * recorded as ordinary metrics. A value that is not a whole number ≥ 0 is no step: it is recorded as a metric.
 */
public final class StepKeys {

    public static final List<String> PRIORITY = List.of("step", "_step", "global_step", "epoch");

    private StepKeys() {
    }

    /** Splits name/value pairs (in line order) into the step and the metrics. */
    public static ParsedLine split(List<ParsedMetric> found) {
        if (found.isEmpty()) {
            return ParsedLine.NONE;
        }
        Map<String, Integer> firstIndex = new java.util.HashMap<>();
        for (int i = 0; i < found.size(); i++) {
            firstIndex.putIfAbsent(found.get(i).key(), i);
        }
        for (String name : PRIORITY) {
            Integer index = firstIndex.get(name);
            if (index == null) {
                continue;
            }
            Long step = Numbers.asStep(found.get(index).value());
            if (step != null) {
                List<ParsedMetric> rest = new java.util.ArrayList<>(found);
                rest.remove((int) index);
                return new ParsedLine(step, rest);
            }
        }
        return new ParsedLine(null, found);
    }
}
