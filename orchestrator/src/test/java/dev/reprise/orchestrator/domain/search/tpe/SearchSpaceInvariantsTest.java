package dev.reprise.orchestrator.domain.search.tpe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.domain.random.SplitMix64;
import dev.reprise.orchestrator.domain.search.Trial;
import dev.reprise.orchestrator.domain.spec.Goal;
import dev.reprise.orchestrator.domain.spec.ParameterSpec;
import dev.reprise.orchestrator.domain.spec.Specs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Property-style checks of TPE over many seeds and spaces mixing every distribution: each suggestion lies inside the
 * declared space, and in a discrete space no suggestion repeats a trial of the history, until the space is exhausted.
 */
class SearchSpaceInvariantsTest {

    private static final Map<String, ParameterSpec> MIXED = Specs.valid(Specs.sweep("random", """
              lr: {distribution: log_uniform_values, min: 0.00001, max: 0.3}
              lr_w: {distribution: log_uniform, min: -9.0, max: -1.0}
              width: {distribution: int_uniform, min: 8, max: 512, q: 8}
              dropout: {distribution: q_uniform, min: 0.0, max: 0.6, q: 0.05}
              momentum: {min: 0.5, max: 0.99}
              batch: {distribution: q_log_uniform_values, min: 16, max: 1024, q: 16}
              noise: {distribution: normal, mu: 0.0, sigma: 1.0}
              scale: {distribution: log_normal, mu: 0.0, sigma: 0.5}
              optimizer: {values: [adam, sgd, rmsprop]}
              epochs: {value: 3}
            """, "max_trials: 1")).parameters();

    private static final Map<String, ParameterSpec> DISCRETE = Specs.valid(Specs.sweep("random", """
              width: {distribution: int_uniform, min: 1, max: 4}
              dropout: {distribution: q_uniform, min: 0.0, max: 0.3, q: 0.1}
              optimizer: {values: [adam, sgd, rmsprop]}
            """, "max_trials: 1")).parameters();

    /** A deterministic pseudo-objective: any value, so the densities are shaped differently for every seed. */
    private static double objective(Map<String, Object> p, long seed) {
        return SplitMix64.forTrial(seed, p.toString().hashCode()).nextDouble();
    }

    @Test
    void neverProposesAPointOutsideTheDeclaredSpace() {
        Map<String, Dimension> dims = new java.util.LinkedHashMap<>();
        MIXED.forEach((name, p) -> dims.put(name, Dimension.of(p)));
        for (long seed = 1; seed <= 12; seed++) {
            List<Trial> history = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Map<String, Object> p = TpeSearcher.suggest(MIXED, i % 2 == 0 ? Goal.MINIMIZE : Goal.MAXIMIZE,
                        history, seed, i, TpeSearcher.Settings.DEFAULTS).orElseThrow();
                assertThat(p.keySet()).containsExactlyElementsOf(MIXED.keySet());
                for (Map.Entry<String, Object> e : p.entrySet()) {
                    assertThat(dims.get(e.getKey()).contains(e.getValue()))
                            .as("seed %d trial %d: %s = %s", seed, i, e.getKey(), e.getValue()).isTrue();
                    assertThat(inBounds(MIXED.get(e.getKey()), e.getValue()))
                            .as("seed %d trial %d: %s = %s within the declared bounds", seed, i, e.getKey(),
                                    e.getValue()).isTrue();
                }
                // a failed trial now and then: it must not disturb the search
                history.add(new Trial(i, p, i % 7 == 3 ? null : objective(p, seed)));
            }
        }
    }

    @Test
    void neverRepeatsAFinishedOrPendingPointOfADiscreteSpaceAndStopsWhenItIsExhausted() {
        long size = 4 * 4 * 3;
        for (long seed = 1; seed <= 10; seed++) {
            List<Trial> history = new ArrayList<>();
            Set<List<Object>> seen = new HashSet<>();
            for (int i = 0; i < size; i++) {
                Optional<Map<String, Object>> next = TpeSearcher.suggest(DISCRETE, Goal.MINIMIZE, history, seed, i,
                        TpeSearcher.Settings.DEFAULTS);
                assertThat(next).as("seed %d trial %d of %d", seed, i, size).isPresent();
                Map<String, Object> p = next.get();
                List<Object> key = List.of(((Number) p.get("width")).doubleValue(),
                        ((Number) p.get("dropout")).doubleValue(), p.get("optimizer"));
                assertThat(seen.add(key)).as("seed %d trial %d repeats %s", seed, i, p).isTrue();
                // every third trial is still running: pending points are not proposed again either
                history.add(new Trial(i, p, i % 3 == 0 ? null : objective(p, seed)));
            }
            assertThat(TpeSearcher.suggest(DISCRETE, Goal.MINIMIZE, history, seed, (int) size,
                    TpeSearcher.Settings.DEFAULTS)).isEmpty();
        }
    }

    private static boolean inBounds(ParameterSpec spec, Object value) {
        if (spec instanceof ParameterSpec.Categorical c) {
            return c.values().contains(value);
        }
        if (spec instanceof ParameterSpec.Constant c) {
            return c.value().equals(value);
        }
        double v = ((Number) value).doubleValue();
        if (spec instanceof ParameterSpec.IntUniform u) {
            return value instanceof Long && v >= u.min() && v <= u.max() && (((Long) value) - u.min()) % u.q() == 0;
        }
        if (spec instanceof ParameterSpec.Uniform u) {
            return v >= u.min() && v <= u.max();
        }
        if (spec instanceof ParameterSpec.QUniform u) {
            return v >= u.min() - 1e-9 && v <= u.max() + 1e-9;
        }
        if (spec instanceof ParameterSpec.LogUniform u) {
            return v >= Math.exp(u.min()) * (1 - 1e-12) && v <= Math.exp(u.max()) * (1 + 1e-12);
        }
        if (spec instanceof ParameterSpec.LogUniformValues u) {
            return v >= u.min() * (1 - 1e-12) && v <= u.max() * (1 + 1e-12);
        }
        if (spec instanceof ParameterSpec.QLogUniformValues u) {
            return v >= u.min() - 1e-9 && v <= u.max() + 1e-9;
        }
        return Double.isFinite(v); // normal, log_normal: unbounded distributions
    }
}
