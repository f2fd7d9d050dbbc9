package dev.reprise.orchestrator.domain.search.tpe;

import dev.reprise.orchestrator.domain.search.RandomSampler;
import dev.reprise.orchestrator.domain.random.SplitMix64;
import dev.reprise.orchestrator.domain.search.Trial;
import dev.reprise.orchestrator.domain.spec.Goal;
import dev.reprise.orchestrator.domain.spec.ParameterSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tree-structured Parzen Estimator (Bergstra et al., 2011), univariate as in Optuna and Hyperopt. Pure and
 * deterministic: the suggestion for trial {@code index} depends only on the space, the finished trials, the sweep
 * seed and the index — so a restarted orchestrator, rebuilding the history from the database, suggests exactly
 * what an uninterrupted one would.
 *
 * <p>The first {@code startupTrials} trials are random. After that the finished trials are split into the best
 * {@code gamma(n) = min(ceil(0.1 n), 25)} and the rest; for each parameter, {@code candidates} values are drawn from
 * the density of the best ones, l(x), and the one maximising l(x) / g(x) is proposed. Running and failed trials do
 * not inform the densities, so suggestions are asynchronous. In a fully discrete space a finished or pending
 * parameter set is never proposed again; {@link #suggest} returns empty when the space is exhausted.
 */
public final class TpeSearcher {

    public record Settings(int startupTrials, int candidates) {
        public static final Settings DEFAULTS = new Settings(10, 24);
    }

    private TpeSearcher() {
    }

    public static Optional<Map<String, Object>> suggest(Map<String, ParameterSpec> space, Goal goal,
            List<Trial> history, long seed, int index, Settings settings) {
        return suggest(space, goal, history, List.of(), seed, index, settings);
    }

    /**
     * As {@link #suggest(Map, Goal, List, long, int, Settings)}, seeded with finished trials of an earlier sweep
     * ({@link WarmStartTrials#seeds}): they inform the densities and count towards the random start-up trials, so
     * TPE takes over after {@code startupTrials - warm.size()} finished trials of this sweep. They are not this
     * sweep's trials: a discrete point they tried may be proposed again.
     */
    public static Optional<Map<String, Object>> suggest(Map<String, ParameterSpec> space, Goal goal,
            List<Trial> history, List<Trial> warm, long seed, int index, Settings settings) {
        Map<String, Dimension> dims = new LinkedHashMap<>();
        space.forEach((name, p) -> dims.put(name, Dimension.of(p)));
        boolean discrete = dims.values().stream().allMatch(Dimension::discrete);
        Set<List<Object>> taken = new HashSet<>();
        if (discrete) {
            history.forEach(t -> taken.add(key(dims, t.parameters())));
        }
        List<Trial> finished = new ArrayList<>(warm.stream().filter(Trial::finished).toList());
        history.stream().filter(Trial::finished).forEach(finished::add);
        SplitMix64 rng = SplitMix64.forTrial(seed, index);
        if (finished.size() >= settings.startupTrials()) {
            Map<String, Object> proposal = propose(dims, goal, finished, rng, settings);
            if (!discrete || !taken.contains(key(dims, proposal))) {
                return Optional.of(proposal);
            }
        }
        for (int attempt = 0; attempt < 1000; attempt++) {
            Map<String, Object> random = RandomSampler.point(space, seed, index + (long) attempt * 1_000_003L);
            if (!discrete || !taken.contains(key(dims, random))) {
                return Optional.of(random);
            }
        }
        return discrete && exhausted(space, taken) ? Optional.empty()
                : Optional.of(RandomSampler.point(space, seed, index));
    }

    private static Map<String, Object> propose(Map<String, Dimension> dims, Goal goal, List<Trial> finished,
            SplitMix64 rng, Settings settings) {
        List<Trial> ordered = new ArrayList<>(finished);
        Comparator<Trial> better = Comparator.comparingDouble(t -> goal == Goal.MAXIMIZE ? -t.value() : t.value());
        ordered.sort(better.thenComparingInt(Trial::index));
        int nBelow = Math.max(1, Math.min((int) Math.ceil(0.1 * ordered.size()), 25));
        List<Trial> below = ordered.subList(0, nBelow);
        List<Trial> above = ordered.subList(nBelow, ordered.size());
        Map<String, Object> out = new LinkedHashMap<>();
        dims.forEach((name, dim) -> out.put(name, propose(name, dim, below, above, rng, settings.candidates())));
        return out;
    }

    private static Object propose(String name, Dimension dim, List<Trial> below, List<Trial> above, SplitMix64 rng,
            int candidates) {
        if (dim instanceof Dimension.Choices c) {
            if (c.values().size() == 1) {
                return c.values().get(0);
            }
            CategoricalEstimator l = new CategoricalEstimator(choices(name, c, below), c.values().size());
            CategoricalEstimator g = new CategoricalEstimator(choices(name, c, above), c.values().size());
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < candidates; i++) {
                int x = l.sample(rng);
                double score = l.logProbability(x) - g.logProbability(x);
                if (score > bestScore) {
                    bestScore = score;
                    best = x;
                }
            }
            return c.value(best);
        }
        Dimension.Interval d = (Dimension.Interval) dim;
        ParzenEstimator l = new ParzenEstimator(coordinates(name, d, below), d.low(), d.high());
        ParzenEstimator g = new ParzenEstimator(coordinates(name, d, above), d.low(), d.high());
        double best = Double.NaN;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < candidates; i++) {
            double x = l.sample(rng);
            double score = l.logDensity(x) - g.logDensity(x);
            if (score > bestScore) {
                bestScore = score;
                best = x;
            }
        }
        return d.value(best);
    }

    private static List<Integer> choices(String name, Dimension.Choices dim, List<Trial> trials) {
        List<Integer> out = new ArrayList<>();
        for (Trial t : trials) {
            double c = dim.internal(t.parameters().get(name));
            if (!Double.isNaN(c)) {
                out.add((int) c);
            }
        }
        return out;
    }

    private static double[] coordinates(String name, Dimension.Interval dim, List<Trial> trials) {
        return trials.stream().mapToDouble(t -> dim.internal(t.parameters().get(name)))
                .filter(x -> Double.isFinite(x) && x >= dim.low() - 1e-9 && x <= dim.high() + 1e-9)
                .map(x -> Math.min(dim.high(), Math.max(dim.low(), x)))
                .toArray();
    }

    /** Parameter values in a form where numerically equal values compare equal. */
    private static List<Object> key(Map<String, Dimension> dims, Map<String, Object> params) {
        List<Object> key = new ArrayList<>();
        dims.keySet().forEach(name -> {
            Object v = params.get(name);
            key.add(v instanceof Number n ? (Object) n.doubleValue() : v);
        });
        return key;
    }

    private static boolean exhausted(Map<String, ParameterSpec> space, Set<List<Object>> taken) {
        long size = 1;
        for (ParameterSpec p : space.values()) {
            long n = p.gridSize();
            if (n < 0 || size > Long.MAX_VALUE / Math.max(1, n)) {
                return false;
            }
            size *= n;
        }
        return taken.size() >= size;
    }
}
