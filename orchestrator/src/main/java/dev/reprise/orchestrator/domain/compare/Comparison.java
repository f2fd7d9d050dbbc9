package dev.reprise.orchestrator.domain.compare;

import java.util.List;

/**
 * Two runs compared.
 *
 * @param verdict     {@link Verdict#REPRODUCED} when both runs ended the same way and every metric has the same
 *                    steps with values within the tolerance; {@link Verdict#DIVERGED} otherwise
 * @param differences everything that differs, by name: provenance fields ({@code data.snapshotId}), parameters
 *                    ({@code parameters.lr}), outcome ({@code state}) and metrics ({@code metrics.val_loss}), in
 *                    that order
 * @param summary     one sentence saying why the verdict is what it is
 */
public record Comparison(Verdict verdict, Tolerance tolerance, List<String> differences, String summary,
        List<FieldDifference> provenance, List<FieldDifference> parameters, List<FieldDifference> outcome,
        List<MetricDifference> metrics) {

    public enum Verdict {
        REPRODUCED, DIVERGED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Comparison {
        differences = List.copyOf(differences);
        provenance = List.copyOf(provenance);
        parameters = List.copyOf(parameters);
        outcome = List.copyOf(outcome);
        metrics = List.copyOf(metrics);
    }

    /** A field whose value differs between run A and run B (either may be null: absent in that run). */
    public record FieldDifference(String field, Object a, Object b) {
    }

    /**
     * One metric compared over the steps both runs reported.
     *
     * @param stepsA         steps run A reported (0 when it lacks the metric)
     * @param commonSteps    steps both reported
     * @param maxAbsDiff     the largest |a - b| over common steps (null without common steps; NaN vs a number
     *                       counts as infinite)
     * @param maxRelDiff     the largest |a - b| / max(|a|, |b|) over common steps (0 where both are 0)
     * @param maxDiffStep    the step where {@code maxAbsDiff} occurs
     * @param finalA         run A's value at its last step
     * @param finalDelta     finalB - finalA
     * @param withinTolerance whether the metric counts as reproduced
     */
    public record MetricDifference(String key, int stepsA, int stepsB, int commonSteps, Double maxAbsDiff,
            Double maxRelDiff, Long maxDiffStep, Double finalA, Double finalB, Double finalDelta,
            boolean withinTolerance) {
    }
}
