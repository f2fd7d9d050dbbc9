package dev.reprise.orchestrator.domain.compare;

/**
 * How close two values must be to count as equal: {@code |a - b| <= atol + rtol * max(|a|, |b|)} (symmetric, so
 * comparing A with B or B with A gives the same verdict). NaN equals NaN, an infinity equals only itself.
 */
public record Tolerance(double rtol, double atol) {

    /** numpy.isclose's defaults: small enough for float32 noise to count as a divergence only when it adds up. */
    public static final Tolerance DEFAULT = new Tolerance(1e-5, 1e-8);

    public Tolerance {
        if (!(rtol >= 0) || !(atol >= 0) || Double.isInfinite(rtol) || Double.isInfinite(atol)) {
            throw new IllegalArgumentException("tolerances must be finite and >= 0");
        }
    }

    public boolean close(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.isNaN(a) && Double.isNaN(b);
        }
        if (Double.isInfinite(a) || Double.isInfinite(b)) {
            return a == b;
        }
        return Math.abs(a - b) <= atol + rtol * Math.max(Math.abs(a), Math.abs(b));
    }
}
