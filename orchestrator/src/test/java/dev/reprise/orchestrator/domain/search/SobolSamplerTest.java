package dev.reprise.orchestrator.domain.search;

import static dev.reprise.orchestrator.domain.spec.Specs.errors;
import static dev.reprise.orchestrator.domain.spec.Specs.sweep;
import static dev.reprise.orchestrator.domain.spec.Specs.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reprise.orchestrator.domain.error.FieldError;
import dev.reprise.orchestrator.domain.random.InverseNormal;
import dev.reprise.orchestrator.domain.spec.Method;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SobolSamplerTest {

    @Test
    void startsWithTheTextbookSobolPointsInTheFirstTwoDimensions() {
        double[][] expected = {{0, 0}, {0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}, {0.375, 0.375}, {0.875, 0.875},
            {0.625, 0.125}, {0.125, 0.625}};
        for (int i = 0; i < expected.length; i++) {
            assertThat(SobolSampler.coordinate(0, i, 0)).as("x%d", i).isEqualTo(expected[i][0]);
            assertThat(SobolSampler.coordinate(1, i, 0)).as("y%d", i).isEqualTo(expected[i][1]);
        }
    }

    /** The defining property: the first 2^m points put exactly one coordinate in each of 2^m equal intervals. */
    @Test
    void everyDimensionStratifiesItsFirstPowerOfTwoPointsWithOrWithoutScrambling() {
        for (int shift : new int[] {0, 0x5DEECE66, -7}) {
            for (int d = 0; d < SobolSampler.MAX_DIMENSIONS; d++) {
                Set<Integer> cells = new HashSet<>();
                for (int i = 0; i < 64; i++) {
                    cells.add((int) (SobolSampler.coordinate(d, i, shift) * 64));
                }
                assertThat(cells).as("dimension %d, shift %d", d, shift).hasSize(64);
            }
        }
    }

    @Test
    void fillsEveryCellOfASquareGridWithTheFirstSixteenTrials() {
        SweepSpec spec = valid(sweep("sobol", "  a: {min: 0.0, max: 1.0}\n  b: {min: 0.0, max: 1.0}\n",
                "max_trials: 16", "seed: 7"));
        Set<List<Integer>> cells = new HashSet<>();
        for (Map<String, Object> trial : TrialPlanner.plan(spec)) {
            cells.add(List.of((int) ((double) trial.get("a") * 4), (int) ((double) trial.get("b") * 4)));
        }
        assertThat(cells).hasSize(16);
    }

    @Test
    void givesTheSameTrialsForTheSameSeedAndKeepsThemWhenTheSweepGrows() {
        String params = "  lr: {distribution: log_uniform_values, min: 0.0001, max: 0.1}\n"
                + "  layers: {values: [1, 2, 3]}\n  width: {distribution: int_uniform, min: 8, max: 64}\n";
        SweepSpec small = valid(sweep("sobol", params, "max_trials: 8", "seed: 11"));
        SweepSpec large = valid(sweep("sobol", params, "max_trials: 20", "seed: 11"));
        SweepSpec otherSeed = valid(sweep("sobol", params, "max_trials: 8", "seed: 12"));
        assertThat(TrialPlanner.plan(large).subList(0, 8)).isEqualTo(TrialPlanner.plan(small));
        assertThat(TrialPlanner.plan(otherSeed)).isNotEqualTo(TrialPlanner.plan(small));
        for (Map<String, Object> trial : TrialPlanner.plan(large)) {
            assertThat((double) trial.get("lr")).isBetween(0.0001, 0.1);
            assertThat(((Number) trial.get("layers")).intValue()).isIn(1, 2, 3);
            assertThat(((Number) trial.get("width")).longValue()).isBetween(8L, 64L);
        }
    }

    @Test
    void isAnEagerStrategyThatNeedsMaxTrials() {
        assertThat(SearchStrategy.of(Method.SOBOL)).isInstanceOf(SearchStrategy.Eager.class);
        assertThat(errors(sweep("sobol", "  a: {min: 0.0, max: 1.0}\n")))
                .contains(new FieldError("max_trials", "is required for sobol search (or its W&B alias run_cap)"));
    }

    @Test
    void refusesMoreParametersThanItHasDimensions() {
        StringBuilder params = new StringBuilder();
        for (int i = 0; i <= SobolSampler.MAX_DIMENSIONS; i++) {
            params.append("  p").append(i).append(": {min: 0.0, max: 1.0}\n");
        }
        assertThat(Method.SOBOL.maxParameters()).isEqualTo(SobolSampler.MAX_DIMENSIONS);
        assertThat(errors(sweep("sobol", params.toString(), "max_trials: 4")))
                .containsExactly(new FieldError("parameters", "sobol search supports at most 21 parameters"));
    }

    @Test
    void mapsQuantilesOfTheNormalDistribution() {
        assertThat(InverseNormal.of(0.5)).isCloseTo(0.0, within(1e-9));
        assertThat(InverseNormal.of(0.975)).isCloseTo(1.959964, within(1e-6));
        assertThat(InverseNormal.of(0.01)).isCloseTo(-2.326348, within(1e-6));
        assertThat(InverseNormal.of(0.0)).isFinite().isNegative();
    }
}
