package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.domain.compare.Comparison;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Two runs compared (GET /api/v1/runs/{a}/compare/{b}). */
@Schema(name = "RunComparison", description = "Run a compared with run b: provenance, parameter and outcome "
        + "differences, per-metric curve differences over the steps both reported, and a verdict.")
public record ComparisonView(
        long a,
        long b,
        @Schema(enumeration = {"reproduced", "diverged"}, description = "reproduced: both runs ended the same way "
                + "and every metric (sys/* excluded) has the same steps with values within the tolerance")
        String verdict,
        @Schema(description = "|a - b| <= atol + rtol * max(|a|, |b|); NaN equals NaN") ToleranceView tolerance,
        @Schema(description = "Everything that differs, by name: provenance fields (data.snapshotId, "
                + "image.digest, env.X, ...), parameters.X, state/exitCode, metrics.KEY (only diverging metrics)")
        List<String> differences,
        @Schema(description = "One sentence: why the verdict, and which inputs differ") String summary,
        List<FieldDifferenceView> provenance,
        List<FieldDifferenceView> parameters,
        @Schema(description = "state and exitCode, where they differ") List<FieldDifferenceView> outcome,
        List<MetricDifferenceView> metrics) {

    @Schema(name = "CompareTolerance")
    public record ToleranceView(double rtol, double atol) {
    }

    @Schema(name = "FieldDifference", description = "A field whose value differs; null where a run lacks it")
    public record FieldDifferenceView(String field, Object a, Object b) {
    }

    @Schema(name = "MetricDifference", description = "One metric over the steps both runs reported")
    public record MetricDifferenceView(String key, int stepsA, int stepsB, int commonSteps,
            @Schema(description = "Largest |a - b| over common steps; null without common steps") Double maxAbsDiff,
            @Schema(description = "Largest |a - b| / max(|a|, |b|) over common steps") Double maxRelDiff,
            @Schema(description = "The step of maxAbsDiff") Long maxDiffStep,
            @Schema(description = "a's value at its last step") Double finalA,
            Double finalB,
            @Schema(description = "finalB - finalA") Double finalDelta,
            boolean withinTolerance) {
    }

    static ComparisonView of(long a, long b, Comparison c) {
        return new ComparisonView(a, b, c.verdict().wireName(),
                new ToleranceView(c.tolerance().rtol(), c.tolerance().atol()), c.differences(), c.summary(),
                fields(c.provenance()), fields(c.parameters()), fields(c.outcome()),
                c.metrics().stream().map(m -> new MetricDifferenceView(m.key(), m.stepsA(), m.stepsB(),
                        m.commonSteps(), finite(m.maxAbsDiff()), finite(m.maxRelDiff()), m.maxDiffStep(),
                        finite(m.finalA()), finite(m.finalB()), finite(m.finalDelta()), m.withinTolerance()))
                        .toList());
    }

    private static List<FieldDifferenceView> fields(List<Comparison.FieldDifference> diffs) {
        return diffs.stream().map(d -> new FieldDifferenceView(d.field(), d.a(), d.b())).toList();
    }

    /** JSON has no NaN or infinity: those values are shown as null (withinTolerance still tells). */
    private static Double finite(Double d) {
        return d == null || d.isNaN() || d.isInfinite() ? null : d;
    }
}
