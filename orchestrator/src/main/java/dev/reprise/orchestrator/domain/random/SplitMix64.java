package dev.reprise.orchestrator.domain.random;

/**
 * A tiny, fully specified pseudo-random generator (SplitMix64, Steele et al. 2014). Reprise owns its algorithm
 * rather than relying on a JDK class, so the same seed yields the same trials on every JDK, forever.
 * Floating-point transforms use {@link StrictMath} for the same reason.
 */
public final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The generator for trial {@code index} of a sweep seeded with {@code sweepSeed}; independent of the count. */
    public static SplitMix64 forTrial(long sweepSeed, long index) {
        return new SplitMix64(mix64(sweepSeed ^ mix64((index + 1) * GOLDEN_GAMMA)));
    }

    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound) without modulo bias; bound must be positive. */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        long limit = Long.MAX_VALUE - (Long.MAX_VALUE % bound);
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r >= limit);
        return r % bound;
    }

    /** Standard normal, by the Box-Muller transform (one value per call, deterministic). */
    public double nextGaussian() {
        double u1 = nextDouble();
        double u2 = nextDouble();
        double radius = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1));
        return radius * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
