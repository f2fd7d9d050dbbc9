package dev.reprise.orchestrator.domain.search.tpe;

import dev.reprise.orchestrator.domain.search.Trial;
import dev.reprise.orchestrator.domain.spec.ParameterSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which finished trials of an earlier sweep seed a new bayes sweep ({@code warm_start}). The rule:
 * <ul>
 *   <li>A parameter is <em>shared</em> when both spaces declare it under the same name and both can propose at least
 *       one common value: two numeric ranges that intersect (whatever their distributions: ranges are compared in
 *       value space), two sets of values with a value in common, or a set of values with one inside the other's
 *       range. The spaces overlap when at least one parameter is shared.</li>
 *   <li>A finished trial of the earlier sweep seeds the new one when the value of every shared parameter lies in the
 *       new space (one of its values, or inside its range and on its grid); otherwise the whole trial is dropped.
 *       Only the shared parameters are kept: TPE is univariate, so each parameter's densities learn from the trials
 *       that carry it.</li>
 *   <li>Seeds keep the earlier sweep's trial order and are numbered below 0 ({@code -n} … {@code -1}), so ties
 *       between equal values break the same way on every call.</li>
 * </ul>
 */
public final class WarmStartTrials {

    private WarmStartTrials() {
    }

    /** Names of the parameters both spaces share, in the new space's declaration order. */
    public static List<String> shared(Map<String, ParameterSpec> space, Map<String, ParameterSpec> earlier) {
        List<String> out = new ArrayList<>();
        space.forEach((name, p) -> {
            ParameterSpec e = earlier.get(name);
            if (e != null && Dimension.of(p).overlaps(Dimension.of(e))) {
                out.add(name);
            }
        });
        return out;
    }

    /** The seeds for {@code space} from the earlier sweep's finished trials (unfinished ones are ignored). */
    public static List<Trial> seeds(Map<String, ParameterSpec> space, Map<String, ParameterSpec> earlier,
            List<Trial> earlierTrials) {
        List<String> shared = shared(space, earlier);
        if (shared.isEmpty()) {
            return List.of();
        }
        Map<String, Dimension> dims = new LinkedHashMap<>();
        shared.forEach(name -> dims.put(name, Dimension.of(space.get(name))));
        List<Trial> ordered = earlierTrials.stream().filter(Trial::finished)
                .sorted(Comparator.comparingInt(Trial::index)).toList();
        List<Map<String, Object>> kept = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Trial t : ordered) {
            Map<String, Object> params = new LinkedHashMap<>();
            boolean inside = true;
            for (Map.Entry<String, Dimension> d : dims.entrySet()) {
                Object v = t.parameters().get(d.getKey());
                if (v == null || !d.getValue().contains(v)) {
                    inside = false;
                    break;
                }
                params.put(d.getKey(), v);
            }
            if (inside) {
                kept.add(params);
                values.add(t.value());
            }
        }
        List<Trial> seeds = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            seeds.add(new Trial(i - kept.size(), kept.get(i), values.get(i)));
        }
        return seeds;
    }
}
