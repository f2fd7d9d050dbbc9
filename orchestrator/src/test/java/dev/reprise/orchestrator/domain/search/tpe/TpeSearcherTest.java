package dev.reprise.orchestrator.domain.search.tpe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.domain.search.RandomSampler;
import dev.reprise.orchestrator.domain.random.SplitMix64;
import dev.reprise.orchestrator.domain.search.Trial;
import dev.reprise.orchestrator.domain.spec.Goal;
import dev.reprise.orchestrator.domain.spec.ParameterSpec;
import dev.reprise.orchestrator.domain.spec.Specs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TpeSearcherTest {

    private static final TpeSearcher.Settings SETTINGS = TpeSearcher.Settings.DEFAULTS;

    private static Map<String, ParameterSpec> space(String yaml) {
        return Specs.valid(Specs.sweep("random", yaml, "max_trials: 1")).parameters();
    }

    private static final Map<String, ParameterSpec> QUADRATIC = space("""
              x: {min: -5.0, max: 5.0}
              y: {min: -5.0, max: 5.0}
            """);

    private static final Map<String, ParameterSpec> BRANIN = space("""
              x1: {min: -5.0, max: 10.0}
              x2: {min: 0.0, max: 15.0}
            """);

    /** (x - 1.5)^2 + (y + 2)^2 plus seeded noise of amplitude 0.05. */
    private static double noisyQuadratic(Map<String, Object> p, int index, long seed) {
        double x = (double) p.get("x");
        double y = (double) p.get("y");
        double noise = (SplitMix64.forTrial(seed ^ 0x5EEDL, index).nextDouble() - 0.5) * 0.1;
        return (x - 1.5) * (x - 1.5) + (y + 2) * (y + 2) + noise;
    }

    /** The Branin-Hoo function; its global minimum is 0.397887. */
    private static double branin(Map<String, Object> p) {
        double x1 = (double) p.get("x1");
        double x2 = (double) p.get("x2");
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        return Math.pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.cos(x1) + 10;
    }

    /** Trials needed to reach {@code target} (capped), suggesting sequentially from the growing history. */
    private static int trialsToTarget(Map<String, ParameterSpec> space, boolean tpe, long seed, double target,
            int cap, java.util.function.BiFunction<Map<String, Object>, Integer, Double> objective) {
        List<Trial> history = new ArrayList<>();
        for (int i = 0; i < cap; i++) {
            Map<String, Object> p = tpe
                    ? TpeSearcher.suggest(space, Goal.MINIMIZE, history, seed, i, SETTINGS).orElseThrow()
                    : RandomSampler.point(space, seed, i);
            double value = objective.apply(p, i);
            if (value <= target) {
                return i + 1;
            }
            history.add(new Trial(i, p, value));
        }
        return cap;
    }

    private static double meanRatio(Map<String, ParameterSpec> space, double target, int cap, int seeds,
            java.util.function.BiFunction<Map<String, Object>, Integer, Double> objective, String label) {
        double tpeTotal = 0;
        double randomTotal = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            tpeTotal += trialsToTarget(space, true, seed, target, cap, objective);
            randomTotal += trialsToTarget(space, false, seed, target, cap, objective);
        }
        double ratio = tpeTotal / randomTotal;
        System.out.printf("%s: TPE %.1f trials, random %.1f trials on average over %d seeds (ratio %.2f)%n",
                label, tpeTotal / seeds, randomTotal / seeds, seeds, ratio);
        return ratio;
    }

    @Test
    void reachesTheNoisyQuadraticsMinimumInClearlyFewerTrialsThanRandomSearch() {
        double ratio = meanRatio(QUADRATIC, 0.1, 400, 20, (p, i) -> noisyQuadratic(p, i, 11), "noisy quadratic");
        assertThat(ratio).isLessThan(0.6);
    }

    @Test
    void reachesNearTheBraninMinimumInClearlyFewerTrialsThanRandomSearch() {
        double ratio = meanRatio(BRANIN, 0.5, 400, 20, (p, i) -> branin(p), "branin");
        assertThat(ratio).isLessThan(0.6);
    }

    @Test
    void suggestsTheSameForTheSameHistorySeedAndIndex() {
        List<Trial> history = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            Map<String, Object> p = RandomSampler.point(QUADRATIC, 3, i);
            history.add(new Trial(i, p, noisyQuadratic(p, i, 3)));
        }
        assertThat(TpeSearcher.suggest(QUADRATIC, Goal.MINIMIZE, history, 3, 15, SETTINGS))
                .isEqualTo(TpeSearcher.suggest(QUADRATIC, Goal.MINIMIZE, List.copyOf(history), 3, 15, SETTINGS));
    }

    @Test
    void neverProposesAPointOutsideTheDeclaredSpace() {
        Map<String, ParameterSpec> mixed = space("""
                  lr: {distribution: log_uniform_values, min: 0.0001, max: 0.1}
                  layers: {min: 1, max: 6}
                  width: {distribution: q_log_uniform_values, min: 16, max: 1024, q: 16}
                  dropout: {distribution: q_uniform, min: 0.0, max: 0.5, q: 0.05}
                  opt: {values: [adam, sgd]}
                  scale: {distribution: log_uniform, min: -3, max: 1}
                """);
        List<Trial> history = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Map<String, Object> p = TpeSearcher.suggest(mixed, Goal.MAXIMIZE, history, 5, i, SETTINGS).orElseThrow();
            assertThat((double) p.get("lr")).isBetween(0.0001, 0.1);
            assertThat((long) p.get("layers")).isBetween(1L, 6L);
            assertThat((double) p.get("width")).isBetween(16.0, 1024.0);
            assertThat((double) p.get("width") % 16).isZero();
            assertThat((double) p.get("dropout")).isBetween(0.0, 0.5);
            assertThat(p.get("opt")).isIn("adam", "sgd");
            assertThat((double) p.get("scale")).isBetween(Math.exp(-3) - 1e-12, Math.exp(1) + 1e-12);
            double value = -Math.abs(Math.log10((double) p.get("lr")) + 2) + ((long) p.get("layers")) * 0.1;
            history.add(new Trial(i, p, i % 7 == 3 ? null : value));
        }
    }

    @Test
    void neverRepeatsAParameterSetInADiscreteSpaceAndStopsWhenItIsExhausted() {
        Map<String, ParameterSpec> small = space("""
                  a: {values: [1, 2, 3]}
                  b: {min: 0, max: 3}
                """);
        List<Trial> history = new ArrayList<>();
        Set<List<Object>> seen = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            Optional<Map<String, Object>> p = TpeSearcher.suggest(small, Goal.MINIMIZE, history, 9, i, SETTINGS);
            assertThat(p).isPresent();
            assertThat(seen.add(List.of(((Number) p.get().get("a")).doubleValue(),
                    ((Number) p.get().get("b")).doubleValue()))).as("new point %s", p.get()).isTrue();
            history.add(new Trial(i, p.get(), (double) ((Number) p.get().get("a")).intValue()));
        }
        assertThat(TpeSearcher.suggest(small, Goal.MINIMIZE, history, 9, 12, SETTINGS)).isEmpty();
    }

    @Test
    void suggestsTheSameWhenHistoryReadBackFromJsonHoldsIntsInsteadOfLongs() {
        Map<String, ParameterSpec> s = space("  k: {min: 1, max: 100}\n  c: {values: [1.0, 2.0]}\n");
        List<Trial> asLongs = new ArrayList<>();
        List<Trial> asInts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, Object> p = RandomSampler.point(s, 1, i);
            double value = Math.abs(((Number) p.get("k")).doubleValue() - 42);
            asLongs.add(new Trial(i, p, value));
            Map<String, Object> json = new LinkedHashMap<>(p);
            json.put("k", ((Long) p.get("k")).intValue());
            json.put("c", ((Double) p.get("c")).intValue());
            asInts.add(new Trial(i, json, value));
        }
        for (int i = 20; i < 30; i++) {
            assertThat(TpeSearcher.suggest(s, Goal.MINIMIZE, asInts, 1, i, SETTINGS))
                    .isEqualTo(TpeSearcher.suggest(s, Goal.MINIMIZE, asLongs, 1, i, SETTINGS));
        }
    }
}
