package dev.reprise.orchestrator.domain.spec;

import java.math.BigDecimal;

/** Multiples of a quantum, computed in decimal so that 3 x 0.1 is 0.3 and not 0.30000000000000004. */
final class Quantised {

    private Quantised() {
    }

    static double multiple(long k, double q) {
        return BigDecimal.valueOf(q).multiply(BigDecimal.valueOf(k)).doubleValue();
    }

    static long firstIndex(double min, double q) {
        return (long) Math.ceil(min / q - 1e-9);
    }

    static long lastIndex(double max, double q) {
        return (long) Math.floor(max / q + 1e-9);
    }

    /** round(x / q), kept within the multiples of q that lie in [min, max]. */
    static long clampedRound(double x, double min, double max, double q) {
        long k = Math.round(x / q);
        return Math.max(firstIndex(min, q), Math.min(lastIndex(max, q), k));
    }
}
