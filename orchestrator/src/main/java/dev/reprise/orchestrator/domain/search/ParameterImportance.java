package dev.reprise.orchestrator.domain.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of the objective's variance across a sweep's runs each parameter explains on its own: a first-order
 * (main-effect) variance decomposition, as fANOVA reports for single parameters, estimated without a surrogate model
 * by the correlation ratio η² = Var(E[y | x]) / Var(y). Categorical parameters and numeric ones with few distinct
 * values group by value; other numeric ones by rank into {@value #BINS} equal-count bins. A parameter that alone
 * decides the objective scores near 1, one that does not matter near 0 (plus a small-sample bias of about
 * (groups − 1) / runs). Interactions are not split out: importances need not sum to 1.
 */
public final class ParameterImportance {

    public static final String METHOD = "first-order variance decomposition (fANOVA-style main effects, "
            + "correlation ratio over up to " + ParameterImportance.BINS + " bins)";
    static final int BINS = 10;

    /** One parameter's share of the objective's variance, 0 to 1. */
    public record Importance(String parameter, double importance) {
    }

    private ParameterImportance() {
    }

    /**
     * @param parameters the parameters to score
     * @param runs       each run's parameter values
     * @param objective  each run's objective value (same order); runs with a non-finite one are left out
     * @return the parameters, most important first
     */
    public static List<Importance> of(List<String> parameters, List<Map<String, Object>> runs, List<Double> objective) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            if (objective.get(i) != null && Double.isFinite(objective.get(i))) {
                rows.add(i);
            }
        }
        double mean = rows.stream().mapToDouble(objective::get).average().orElse(0);
        double total = rows.stream().mapToDouble(i -> square(objective.get(i) - mean)).sum();
        List<Importance> out = new ArrayList<>();
        for (String p : parameters) {
            double share = 0;
            if (rows.size() >= 3 && total > 0) {
                Map<String, double[]> groups = new HashMap<>(); // group -> {count, sum}
                Map<Integer, String> group = groups(p, runs, rows);
                for (int i : rows) {
                    double[] g = groups.computeIfAbsent(group.get(i), k -> new double[2]);
                    g[0]++;
                    g[1] += objective.get(i);
                }
                double between = groups.values().stream().mapToDouble(g -> g[0] * square(g[1] / g[0] - mean)).sum();
                share = Math.max(0, Math.min(1, between / total));
            }
            out.add(new Importance(p, share));
        }
        out.sort(Comparator.comparingDouble(Importance::importance).reversed());
        return out;
    }

    /** Each row's group for the parameter: its value, or its rank bin when it is numeric with many values. */
    private static Map<Integer, String> groups(String parameter, List<Map<String, Object>> runs, List<Integer> rows) {
        Map<Integer, String> out = new HashMap<>();
        boolean numeric = rows.stream().allMatch(i -> runs.get(i).get(parameter) instanceof Number);
        long distinct = rows.stream().map(i -> String.valueOf(runs.get(i).get(parameter))).distinct().count();
        if (!numeric || distinct <= BINS) {
            rows.forEach(i -> out.put(i, String.valueOf(runs.get(i).get(parameter))));
            return out;
        }
        List<Integer> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingDouble(i -> ((Number) runs.get(i).get(parameter)).doubleValue()));
        for (int r = 0; r < sorted.size(); r++) {
            out.put(sorted.get(r), "bin" + (r * BINS / sorted.size()));
        }
        return out;
    }

    private static double square(double v) {
        return v * v;
    }
}
