package dev.reprise.orchestrator.domain.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.domain.compare.Comparison.Verdict;
import dev.reprise.orchestrator.domain.provenance.Provenance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunComparatorTest {

    private static final RunComparator.Outcome OK = new RunComparator.Outcome("SUCCEEDED", 0);

    private static Provenance run(long id, String snapshot, Map<String, Object> params, long seed) {
        return new Provenance(id, 1, "s", "p", Instant.EPOCH, "t", "yaml", "0".repeat(64), "h", params,
                List.of("java", "Train.java"), Map.of("MODE", "fast"), "img:1", null, "local", "java 17", snapshot,
                "/data", null, null, null, null, seed, "0.1", "local:h", null, null, null);
    }

    private static Curve curve(double... values) {
        long[] steps = new long[values.length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i + 1;
        }
        return new Curve(steps, values);
    }

    @Test
    void identicalCurvesAndInputsAreReproduced() {
        Provenance a = run(1, "sha256:a", Map.of("lr", 0.1), 7);
        Comparison c = RunComparator.compare(a, a, OK, OK, Map.of("loss", curve(1, 0.5, 0.25)),
                Map.of("loss", curve(1, 0.5, 0.25), "sys/cpu.percent", curve(90)), Tolerance.DEFAULT);

        assertThat(c.verdict()).isEqualTo(Verdict.REPRODUCED);
        assertThat(c.differences()).isEmpty();
        assertThat(c.metrics()).singleElement().satisfies(m -> {
            assertThat(m.key()).isEqualTo("loss");
            assertThat(m.commonSteps()).isEqualTo(3);
            assertThat(m.maxAbsDiff()).isZero();
            assertThat(m.finalDelta()).isZero();
        });
    }

    @Test
    void deviationsBeyondTheToleranceDivergeAndNameTheMetricAndTheInputsThatDiffer() {
        Comparison c = RunComparator.compare(run(1, "sha256:a", Map.of("lr", 0.1), 7),
                run(2, "sha256:b", Map.of("lr", 0.1), 7), OK, OK,
                Map.of("loss", curve(1, 0.5, 0.25)), Map.of("loss", curve(1, 0.6, 0.2)), Tolerance.DEFAULT);

        assertThat(c.verdict()).isEqualTo(Verdict.DIVERGED);
        assertThat(c.differences()).containsExactly("data.snapshotId", "metrics.loss");
        Comparison.MetricDifference loss = c.metrics().get(0);
        assertThat(loss.maxAbsDiff()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(loss.maxDiffStep()).isEqualTo(2);
        assertThat(loss.maxRelDiff()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(loss.finalDelta()).isCloseTo(-0.05, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(c.summary()).contains("loss differs").contains("data.snapshotId");
    }

    @Test
    void aLooserToleranceAcceptsSmallDeviations() {
        Provenance a = run(1, null, Map.of("lr", 0.1), 7);
        Map<String, Curve> x = Map.of("loss", curve(1.0, 0.5));
        Map<String, Curve> y = Map.of("loss", curve(1.0, 0.5001));

        assertThat(RunComparator.compare(a, a, OK, OK, x, y, Tolerance.DEFAULT).verdict()).isEqualTo(Verdict.DIVERGED);
        assertThat(RunComparator.compare(a, a, OK, OK, x, y, new Tolerance(1e-3, 0)).verdict())
                .isEqualTo(Verdict.REPRODUCED);
    }

    @Test
    void missingStepsOrMetricsAndDifferentOutcomesDiverge() {
        Provenance a = run(1, null, Map.of("lr", 0.1), 7);
        assertThat(RunComparator.compare(a, a, OK, OK, Map.of("loss", curve(1, 2, 3)), Map.of("loss", curve(1, 2)),
                Tolerance.DEFAULT).differences()).containsExactly("metrics.loss");
        assertThat(RunComparator.compare(a, a, OK, OK, Map.of("loss", curve(1), "acc", curve(1)),
                Map.of("loss", curve(1)), Tolerance.DEFAULT).differences()).containsExactly("metrics.acc");
        assertThat(RunComparator.compare(a, a, OK, new RunComparator.Outcome("FAILED", 1), Map.of(), Map.of(),
                Tolerance.DEFAULT).differences()).containsExactly("state", "exitCode");
    }

    @Test
    void nanEqualsNanAndParametersCompareByValue() {
        Comparison c = RunComparator.compare(run(1, null, Map.of("epochs", 3), 7),
                run(2, null, Map.of("epochs", 3.0), 8), OK, OK,
                Map.of("loss", curve(Double.NaN)), Map.of("loss", curve(Double.NaN)), Tolerance.DEFAULT);

        assertThat(c.verdict()).isEqualTo(Verdict.REPRODUCED);
        assertThat(c.differences()).containsExactly("seed");
    }
}
