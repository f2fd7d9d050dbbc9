package dev.reprise.orchestrator.domain.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.domain.spec.Specs;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridExpanderTest {

    @Test
    void expandsAThreeByFourGridIntoTwelveCombinationsLastParameterFastest() {
        SweepSpec spec = Specs.valid(Specs.sweep("grid", """
                  learning_rate: {values: [0.001, 0.01, 0.1]}
                  hidden_units: {values: [16, 32, 64, 128]}
                  epochs: {value: 20}
                """));
        List<Map<String, Object>> trials = TrialPlanner.plan(spec);
        assertThat(trials).hasSize(12);
        assertThat(trials.get(0)).containsExactly(Map.entry("learning_rate", 0.001), Map.entry("hidden_units", 16),
                Map.entry("epochs", 20));
        assertThat(trials.get(1)).containsEntry("learning_rate", 0.001).containsEntry("hidden_units", 32);
        assertThat(trials.get(4)).containsEntry("learning_rate", 0.01).containsEntry("hidden_units", 16);
        assertThat(trials.stream().map(t -> List.of(t.get("learning_rate"), t.get("hidden_units"))).distinct())
                .hasSize(12);
    }

    @Test
    void stepsIntegerRangesByQ() {
        SweepSpec spec = Specs.valid(Specs.sweep("grid", "  layers: {min: 1, max: 8, q: 3}\n"));
        assertThat(TrialPlanner.plan(spec)).extracting(t -> t.get("layers")).containsExactly(1L, 4L, 7L);
    }

    @Test
    void enumeratesQuantisedFloatsWithoutBinaryRoundingNoise() {
        SweepSpec spec = Specs.valid(Specs.sweep("grid",
                "  dropout: {distribution: q_uniform, min: 0.05, max: 0.35, q: 0.1}\n"));
        assertThat(TrialPlanner.plan(spec)).extracting(t -> t.get("dropout")).containsExactly(0.1, 0.2, 0.3);
    }

    @Test
    void computesAnyPointFromItsIndexAlone() {
        SweepSpec spec = Specs.valid(Specs.sweep("grid", "  a: {values: [x, y]}\n  b: {min: 0, max: 2}\n"));
        assertThat(GridExpander.point(spec.parameters(), 5)).containsExactly(Map.entry("a", "y"),
                Map.entry("b", 2L));
    }
}
