package dev.reprise.orchestrator.domain.search.tpe;

import dev.reprise.orchestrator.domain.spec.ParameterSpec;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * One parameter as TPE sees it: either a set of choices, or an interval of an internal coordinate (log scale for
 * log-distributed parameters, quantisation index for q-parameters) with maps to and from the parameter's value.
 */
sealed interface Dimension {

    /** The value this dimension proposes for an internal coordinate or choice. */
    Object value(double internal);

    /** The internal coordinate of an observed value, or NaN when the value is not in this dimension. */
    double internal(Object value);

    boolean discrete();

    /** Whether this dimension can propose {@code value} (a choice, or a point of the interval on its grid). */
    boolean contains(Object value);

    /** Whether this dimension and {@code other} can propose at least one common value. */
    boolean overlaps(Dimension other);

    record Choices(List<Object> values) implements Dimension {
        public Object value(double internal) {
            return values.get((int) internal);
        }

        public double internal(Object value) {
            for (int i = 0; i < values.size(); i++) {
                if (same(values.get(i), value)) {
                    return i;
                }
            }
            return Double.NaN;
        }

        public boolean discrete() {
            return true;
        }

        public boolean contains(Object value) {
            return !Double.isNaN(internal(value));
        }

        public boolean overlaps(Dimension other) {
            return values.stream().anyMatch(other::contains);
        }
    }

    record Interval(double low, double high, boolean discrete, DoubleUnaryOperator toValue,
            DoubleUnaryOperator toInternal, boolean integral) implements Dimension {
        public Object value(double internal) {
            double v = toValue.applyAsDouble(Math.min(high, Math.max(low, internal)));
            return integral ? (Object) Math.round(v) : (Object) v;
        }

        public double internal(Object value) {
            return value instanceof Number n ? toInternal.applyAsDouble(n.doubleValue()) : Double.NaN;
        }

        public boolean contains(Object value) {
            double x = internal(value);
            if (!Double.isFinite(x) || x < low - 1e-9 || x > high + 1e-9) {
                return false;
            }
            if (integral && ((Number) value).doubleValue() != Math.rint(((Number) value).doubleValue())) {
                return false;
            }
            return !discrete || Math.abs(x - Math.rint(x)) < 1e-6;
        }

        public boolean overlaps(Dimension other) {
            if (other instanceof Choices c) {
                return c.overlaps(this);
            }
            Interval o = (Interval) other;
            return Math.max(smallest(), o.smallest()) <= Math.min(largest(), o.largest());
        }

        /** The smallest value this interval proposes (every map to values is increasing). */
        double smallest() {
            return ((Number) value(low)).doubleValue();
        }

        double largest() {
            return ((Number) value(high)).doubleValue();
        }
    }

    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return a != null && a.equals(b);
    }

    static Dimension of(ParameterSpec p) {
        if (p instanceof ParameterSpec.Constant c) {
            return new Choices(List.of(c.value()));
        }
        if (p instanceof ParameterSpec.Categorical c) {
            return new Choices(c.values());
        }
        if (p instanceof ParameterSpec.IntUniform u) {
            double last = (u.max() - u.min()) / u.q();
            return new Interval(-0.5, last + 0.4999, true, k -> u.min() + u.q() * Math.round(k),
                    v -> (v - u.min()) / u.q(), true);
        }
        if (p instanceof ParameterSpec.Uniform u) {
            return new Interval(u.min(), u.max(), false, x -> x, v -> v, false);
        }
        if (p instanceof ParameterSpec.QUniform u) {
            long first = (long) Math.ceil(u.min() / u.q() - 1e-9);
            long last = (long) Math.floor(u.max() / u.q() + 1e-9);
            return new Interval(first - 0.5, last + 0.4999, true, k -> multiple(Math.round(k), u.q()),
                    v -> v / u.q(), false);
        }
        if (p instanceof ParameterSpec.LogUniform u) {
            return new Interval(u.min(), u.max(), false, StrictMath::exp, StrictMath::log, false);
        }
        if (p instanceof ParameterSpec.LogUniformValues u) {
            return new Interval(StrictMath.log(u.min()), StrictMath.log(u.max()), false, StrictMath::exp,
                    StrictMath::log, false);
        }
        if (p instanceof ParameterSpec.QLogUniformValues u) {
            long first = (long) Math.ceil(u.min() / u.q() - 1e-9);
            long last = (long) Math.floor(u.max() / u.q() + 1e-9);
            return new Interval(StrictMath.log(u.min()), StrictMath.log(u.max()), false,
                    x -> multiple(Math.max(first, Math.min(last, Math.round(StrictMath.exp(x) / u.q()))), u.q()),
                    StrictMath::log, false);
        }
        if (p instanceof ParameterSpec.Normal n) {
            return new Interval(n.mu() - 4 * n.sigma(), n.mu() + 4 * n.sigma(), false,
                    x -> n.q() == null ? x : multiple(Math.round(x / n.q()), n.q()), v -> v, false);
        }
        if (p instanceof ParameterSpec.LogNormal n) {
            return new Interval(n.mu() - 4 * n.sigma(), n.mu() + 4 * n.sigma(), false,
                    x -> n.q() == null ? StrictMath.exp(x) : multiple(Math.round(StrictMath.exp(x) / n.q()), n.q()),
                    StrictMath::log, false);
        }
        throw new IllegalArgumentException("no TPE dimension for " + p.distribution());
    }

    private static double multiple(long k, double q) {
        return BigDecimal.valueOf(q).multiply(BigDecimal.valueOf(k)).doubleValue();
    }
}
