package dev.reprise.orchestrator.domain.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParameterImportanceTest {

    private static final List<String> PARAMETERS = List.of("lr", "batch", "dropout", "optimizer");

    /** 400 runs of a synthetic random search; the objective is whatever the function makes of a run's parameters. */
    private static List<ParameterImportance.Importance> sweep(java.util.function.ToDoubleFunction<Map<String, Object>> f) {
        Random random = new Random(7);
        List<Map<String, Object>> runs = new ArrayList<>();
        List<Double> objective = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            Map<String, Object> run = Map.of("lr", Math.pow(10, -4 + 3 * random.nextDouble()),
                    "batch", List.of(32, 64, 128).get(random.nextInt(3)), "dropout", 0.5 * random.nextDouble(),
                    "optimizer", random.nextBoolean() ? "adam" : "sgd");
            runs.add(run);
            objective.add(f.applyAsDouble(run));
        }
        return ParameterImportance.of(PARAMETERS, runs, objective);
    }

    private static double of(List<ParameterImportance.Importance> found, String parameter) {
        return found.stream().filter(i -> i.parameter().equals(parameter)).findFirst().orElseThrow().importance();
    }

    @Test
    void aParameterThatAloneDecidesTheObjectiveExplainsNearlyAllOfIt() {
        List<ParameterImportance.Importance> found = sweep(run -> {
            double lr = Math.log10((Double) run.get("lr"));
            return (lr + 2.5) * (lr + 2.5);
        });
        assertThat(found.get(0).parameter()).isEqualTo("lr");
        assertThat(of(found, "lr")).isGreaterThan(0.9);
        assertThat(of(found, "batch")).isLessThan(0.05);
        assertThat(of(found, "dropout")).isLessThan(0.06);
        assertThat(of(found, "optimizer")).isLessThan(0.05);
    }

    @Test
    void aCategoricalParameterThatDecidesTheObjectiveComesFirst() {
        List<ParameterImportance.Importance> found = sweep(run -> "adam".equals(run.get("optimizer")) ? 0.3 : 0.9);
        assertThat(found.get(0).parameter()).isEqualTo("optimizer");
        assertThat(of(found, "optimizer")).isEqualTo(1.0);
        assertThat(of(found, "lr")).isLessThan(0.06);
    }

    @Test
    void aConstantObjectiveMakesNoParameterImportant() {
        assertThat(sweep(run -> 0.5)).extracting(ParameterImportance.Importance::importance).containsOnly(0.0);
    }

    @Test
    void runsWithoutAFiniteObjectiveAreLeftOut() {
        List<ParameterImportance.Importance> found = ParameterImportance.of(List.of("x"),
                List.of(Map.of("x", 1), Map.of("x", 2), Map.of("x", 1), Map.of("x", 2), Map.of("x", 3)),
                java.util.Arrays.asList(1.0, 2.0, 1.0, 2.0, Double.NaN));
        assertThat(of(found, "x")).isEqualTo(1.0);
    }
}
