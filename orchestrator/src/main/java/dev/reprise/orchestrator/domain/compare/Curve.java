package dev.reprise.orchestrator.domain.compare;

/**
 * One metric of one run attempt: its value at each step, steps ascending and distinct (the last reported value of a
 * step wins, as in the metric queries).
 */
public record Curve(long[] steps, double[] values) {

    public Curve {
        if (steps.length != values.length) {
            throw new IllegalArgumentException("steps and values differ in length");
        }
        for (int i = 1; i < steps.length; i++) {
            if (steps[i] <= steps[i - 1]) {
                throw new IllegalArgumentException("steps must ascend");
            }
        }
    }

    public int size() {
        return steps.length;
    }

    public double last() {
        return values[values.length - 1];
    }
}
