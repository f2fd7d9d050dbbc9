package dev.reprise.orchestrator.domain.spec;

import dev.reprise.orchestrator.domain.random.InverseNormal;
import dev.reprise.orchestrator.domain.random.SplitMix64;
import java.util.List;

/**
 * One parameter of the search space, in the W&B Sweeps vocabulary. The set of distributions is closed, and each
 * knows how to enumerate itself for grid search and how to draw a sample for random search.
 */
public sealed interface ParameterSpec {

    /** The W&B name of this distribution, e.g. {@code log_uniform_values}. */
    String distribution();

    /** Number of grid points, or -1 when the distribution is continuous (grid search cannot use it). */
    long gridSize();

    /** The grid value at {@code index}, 0 &lt;= index &lt; gridSize(). */
    Object gridValue(long index);

    /** One random draw; consumes the generator deterministically. */
    Object sample(SplitMix64 rng);

    /**
     * The value at quantile {@code u} in [0, 1) of this distribution: how quasi-random search maps a point of its
     * sequence to a value. Uniform-based distributions give what {@link #sample} gives for the same draw.
     */
    Object fromUnit(double u);

    /** Number of grid points; {@link Long#MAX_VALUE} when it overflows; -1 when a parameter is continuous. */
    static long gridSizeOf(java.util.Collection<ParameterSpec> parameters) {
        long size = 1;
        for (ParameterSpec p : parameters) {
            long n = p.gridSize();
            if (n < 0) {
                return -1;
            }
            if (n == Long.MAX_VALUE || (n > 0 && size > Long.MAX_VALUE / n)) {
                size = Long.MAX_VALUE;
            } else {
                size *= n;
            }
        }
        return size;
    }

    default boolean discrete() {
        return gridSize() >= 0;
    }

    record Constant(Object value) implements ParameterSpec {
        public String distribution() {
            return "constant";
        }

        public long gridSize() {
            return 1;
        }

        public Object gridValue(long index) {
            return value;
        }

        public Object sample(SplitMix64 rng) {
            return value;
        }

        public Object fromUnit(double u) {
            return value;
        }
    }

    /** {@code probabilities} is null when every value is equally likely. */
    record Categorical(List<Object> values, List<Double> probabilities) implements ParameterSpec {
        public Categorical {
            values = List.copyOf(values);
            probabilities = probabilities == null ? null : List.copyOf(probabilities);
        }

        public String distribution() {
            return "categorical";
        }

        public long gridSize() {
            return values.size();
        }

        public Object gridValue(long index) {
            return values.get((int) index);
        }

        public Object sample(SplitMix64 rng) {
            if (probabilities == null) {
                return values.get((int) rng.nextLong(values.size()));
            }
            return fromUnit(rng.nextDouble());
        }

        public Object fromUnit(double u) {
            if (probabilities == null) {
                return values.get((int) Math.min(values.size() - 1, (long) (u * values.size())));
            }
            double cumulative = 0;
            for (int i = 0; i < values.size(); i++) {
                cumulative += probabilities.get(i);
                if (u < cumulative) {
                    return values.get(i);
                }
            }
            for (int i = values.size() - 1; i >= 0; i--) {
                if (probabilities.get(i) > 0) {
                    return values.get(i);
                }
            }
            return values.get(values.size() - 1);
        }
    }

    /** Integers min, min+q, ... up to max. */
    record IntUniform(long min, long max, long q) implements ParameterSpec {
        public String distribution() {
            return "int_uniform";
        }

        public long gridSize() {
            long width = max - min;
            return width < 0 ? Long.MAX_VALUE : width / q + 1;
        }

        public Object gridValue(long index) {
            return min + index * q;
        }

        public Object sample(SplitMix64 rng) {
            long n = gridSize();
            return gridValue(n == Long.MAX_VALUE ? rng.nextLong() >>> 1 : rng.nextLong(n));
        }

        public Object fromUnit(double u) {
            long n = gridSize();
            double width = n == Long.MAX_VALUE ? Math.pow(2, 63) : n;
            return gridValue(Math.min(n - 1, (long) (u * width)));
        }
    }

    record Uniform(double min, double max) implements ParameterSpec {
        public String distribution() {
            return "uniform";
        }

        public long gridSize() {
            return -1;
        }

        public Object gridValue(long index) {
            throw new UnsupportedOperationException("uniform is continuous");
        }

        public Object sample(SplitMix64 rng) {
            return fromUnit(rng.nextDouble());
        }

        public Object fromUnit(double u) {
            return min + (max - min) * u;
        }
    }

    /** Multiples of q lying in [min, max]. */
    record QUniform(double min, double max, double q) implements ParameterSpec {
        public String distribution() {
            return "q_uniform";
        }

        public long gridSize() {
            return Quantised.lastIndex(max, q) - Quantised.firstIndex(min, q) + 1;
        }

        public Object gridValue(long index) {
            return Quantised.multiple(Quantised.firstIndex(min, q) + index, q);
        }

        public Object sample(SplitMix64 rng) {
            return fromUnit(rng.nextDouble());
        }

        public Object fromUnit(double u) {
            double x = min + (max - min) * u;
            return Quantised.multiple(Quantised.clampedRound(x, min, max, q), q);
        }
    }

    /** e^x with x uniform in [min, max]: min and max are natural-log exponents (W&B semantics). */
    record LogUniform(double min, double max) implements ParameterSpec {
        public String distribution() {
            return "log_uniform";
        }

        public long gridSize() {
            return -1;
        }

        public Object gridValue(long index) {
            throw new UnsupportedOperationException("log_uniform is continuous");
        }

        public Object sample(SplitMix64 rng) {
            return fromUnit(rng.nextDouble());
        }

        public Object fromUnit(double u) {
            return StrictMath.exp(min + (max - min) * u);
        }
    }

    /** Log-uniform between the values min and max themselves. */
    record LogUniformValues(double min, double max) implements ParameterSpec {
        public String distribution() {
            return "log_uniform_values";
        }

        public long gridSize() {
            return -1;
        }

        public Object gridValue(long index) {
            throw new UnsupportedOperationException("log_uniform_values is continuous");
        }

        public Object sample(SplitMix64 rng) {
            return fromUnit(rng.nextDouble());
        }

        public Object fromUnit(double u) {
            double lo = StrictMath.log(min);
            double hi = StrictMath.log(max);
            return StrictMath.exp(lo + (hi - lo) * u);
        }
    }

    /** Log-uniform between min and max, rounded to a multiple of q that lies in [min, max]. */
    record QLogUniformValues(double min, double max, double q) implements ParameterSpec {
        public String distribution() {
            return "q_log_uniform_values";
        }

        public long gridSize() {
            return -1;
        }

        public Object gridValue(long index) {
            throw new UnsupportedOperationException("q_log_uniform_values is not enumerable");
        }

        public Object sample(SplitMix64 rng) {
            return fromUnit(rng.nextDouble());
        }

        public Object fromUnit(double u) {
            double lo = StrictMath.log(min);
            double hi = StrictMath.log(max);
            double x = StrictMath.exp(lo + (hi - lo) * u);
            return Quantised.multiple(Quantised.clampedRound(x, min, max, q), q);
        }
    }

    /** Normal(mu, sigma); rounded to a multiple of q when q is set ({@code q_normal}). */
    record Normal(double mu, double sigma, Double q) implements ParameterSpec {
        public String distribution() {
            return q == null ? "normal" : "q_normal";
        }

        public long gridSize() {
            return -1;
        }

        public Object gridValue(long index) {
            throw new UnsupportedOperationException(distribution() + " is continuous");
        }

        public Object sample(SplitMix64 rng) {
            double x = mu + sigma * rng.nextGaussian();
            return q == null ? x : Quantised.multiple(Math.round(x / q), q);
        }

        public Object fromUnit(double u) {
            double x = mu + sigma * InverseNormal.of(u);
            return q == null ? x : Quantised.multiple(Math.round(x / q), q);
        }
    }

    /** e^Normal(mu, sigma); rounded to a multiple of q when q is set ({@code q_log_normal}). */
    record LogNormal(double mu, double sigma, Double q) implements ParameterSpec {
        public String distribution() {
            return q == null ? "log_normal" : "q_log_normal";
        }

        public long gridSize() {
            return -1;
        }

        public Object gridValue(long index) {
            throw new UnsupportedOperationException(distribution() + " is continuous");
        }

        public Object sample(SplitMix64 rng) {
            double x = StrictMath.exp(mu + sigma * rng.nextGaussian());
            return q == null ? x : Quantised.multiple(Math.round(x / q), q);
        }

        public Object fromUnit(double u) {
            double x = StrictMath.exp(mu + sigma * InverseNormal.of(u));
            return q == null ? x : Quantised.multiple(Math.round(x / q), q);
        }
    }
}
