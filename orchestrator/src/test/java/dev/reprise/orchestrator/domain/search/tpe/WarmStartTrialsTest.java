package dev.reprise.orchestrator.domain.search.tpe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.domain.search.RandomSampler;
import dev.reprise.orchestrator.domain.search.Trial;
import dev.reprise.orchestrator.domain.spec.Goal;
import dev.reprise.orchestrator.domain.spec.ParameterSpec;
import dev.reprise.orchestrator.domain.spec.Specs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmStartTrialsTest {

    private static Map<String, ParameterSpec> space(String yaml) {
        return Specs.valid(Specs.sweep("random", yaml, "max_trials: 1")).parameters();
    }

    @Test
    void sharesParametersDeclaredInBothWithAnOverlappingRangeOrACommonValue() {
        Map<String, ParameterSpec> earlier = space("""
                  lr: {distribution: log_uniform_values, min: 0.0001, max: 0.1}
                  width: {values: [16, 32, 64]}
                  optimizer: {values: [adam, sgd]}
                  dropout: {min: 0.0, max: 0.5}
                  only_old: {values: [1, 2]}
                """);
        Map<String, ParameterSpec> next = space("""
                  lr: {min: 0.05, max: 0.3}
                  width: {distribution: int_uniform, min: 32, max: 128}
                  optimizer: {values: [sgd, rmsprop]}
                  dropout: {min: 0.6, max: 0.9}
                  only_new: {values: [1, 2]}
                """);
        assertThat(WarmStartTrials.shared(next, earlier)).containsExactly("lr", "width", "optimizer");
    }

    @Test
    void sharesNothingWhenNamesDifferOrValuesCannotMeet() {
        Map<String, ParameterSpec> earlier = space("""
                  optimizer: {values: [adam, sgd]}
                  x: {min: 0.0, max: 1.0}
                """);
        Map<String, ParameterSpec> next = space("""
                  optimizer: {min: 0.0, max: 1.0}
                  x: {values: [a, b]}
                  y: {min: 0.0, max: 1.0}
                """);
        assertThat(WarmStartTrials.shared(next, earlier)).isEmpty();
        assertThat(WarmStartTrials.seeds(next, earlier, List.of(new Trial(0, Map.of("optimizer", "adam", "x", 0.5),
                1.0)))).isEmpty();
    }

    @Test
    void dropsTrialsWithASharedValueOutsideTheNewSpaceAndKeepsOnlySharedParameters() {
        Map<String, ParameterSpec> earlier = space("""
                  x: {min: 0.0, max: 10.0}
                  width: {values: [16, 32, 64]}
                  old: {values: [a, b]}
                """);
        Map<String, ParameterSpec> next = space("""
                  x: {min: 0.0, max: 5.0}
                  width: {distribution: int_uniform, min: 16, max: 48, q: 16}
                  new: {values: [c]}
                """);
        List<Trial> earlierTrials = List.of(
                new Trial(3, Map.of("x", 4.0, "width", 32, "old", "a"), 0.3),
                new Trial(0, Map.of("x", 1.0, "width", 16, "old", "b"), 0.5),
                new Trial(1, Map.of("x", 7.0, "width", 16, "old", "a"), 0.1), // x outside [0, 5]
                new Trial(2, Map.of("x", 2.0, "width", 64, "old", "a"), 0.2), // 64 outside 16..48
                new Trial(4, Map.of("x", 3.0, "width", 32, "old", "a"), null)); // not finished
        List<Trial> seeds = WarmStartTrials.seeds(next, earlier, earlierTrials);
        assertThat(seeds).containsExactly(
                new Trial(-2, Map.of("x", 1.0, "width", 16), 0.5),
                new Trial(-1, Map.of("x", 4.0, "width", 32), 0.3));
    }

    @Test
    void warmTrialsReplaceTheRandomStartupAndReachTheTargetSoonerOnAverage() {
        Map<String, ParameterSpec> earlier = space("""
                  x: {min: -5.0, max: 5.0}
                  y: {min: -5.0, max: 5.0}
                """);
        Map<String, ParameterSpec> next = space("""
                  x: {min: -5.0, max: 5.0}
                  y: {min: -5.0, max: 5.0}
                  z: {values: [a, b]}
                """);
        double coldTotal = 0;
        double warmTotal = 0;
        for (long seed = 1; seed <= 20; seed++) {
            List<Trial> earlierTrials = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Map<String, Object> p = RandomSampler.point(earlier, seed + 1000, i);
                earlierTrials.add(new Trial(i, p, quadratic(p)));
            }
            List<Trial> warm = WarmStartTrials.seeds(next, earlier, earlierTrials);
            assertThat(warm).hasSize(30);
            // with 30 finished seeds the very first suggestion already comes from TPE, not from the random start-up
            Map<String, Object> first = TpeSearcher.suggest(next, Goal.MINIMIZE, List.of(), warm, seed, 0,
                    TpeSearcher.Settings.DEFAULTS).orElseThrow();
            assertThat(first).isNotEqualTo(RandomSampler.point(next, seed, 0));
            coldTotal += trialsToTarget(next, List.of(), seed);
            warmTotal += trialsToTarget(next, warm, seed);
        }
        System.out.printf(java.util.Locale.ROOT, "warm start: mean trials to target %.1f warm vs %.1f cold "
                + "(20 seeds, ratio %.2f)%n", warmTotal / 20, coldTotal / 20, warmTotal / coldTotal);
        assertThat(warmTotal).isLessThan(coldTotal * 0.8);
    }

    private static double quadratic(Map<String, Object> p) {
        double x = ((Number) p.get("x")).doubleValue();
        double y = ((Number) p.get("y")).doubleValue();
        return (x - 1.5) * (x - 1.5) + (y + 2) * (y + 2);
    }

    private static int trialsToTarget(Map<String, ParameterSpec> space, List<Trial> warm, long seed) {
        List<Trial> history = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Map<String, Object> p = TpeSearcher.suggest(space, Goal.MINIMIZE, history, warm, seed, i,
                    TpeSearcher.Settings.DEFAULTS).orElseThrow();
            double value = quadratic(p);
            if (value <= 0.3) {
                return i + 1;
            }
            history.add(new Trial(i, p, value));
        }
        return 100;
    }
}
