package dev.reprise.orchestrator.metrics;

/**
 * How a series range is answered: at full resolution when it has at most {@code maxPoints} points, else with
 * min/max buckets. The step range [first, last] is cut into {@code maxPoints / 2} buckets of equal width, and each
 * bucket contributes its lowest and its highest point (one point when they are the same), in step order. Spikes
 * survive, unlike with averaging or every-n-th sampling, and the answer never exceeds {@code maxPoints} points.
 * NaN sorts above every number (PostgreSQL's order), so a bucket holding a NaN shows it as its high point.
 */
public record Downsampling(int maxPoints, int buckets, long firstStep, long lastStep) {

    public static final int MIN_POINTS = 2;

    public static Downsampling of(long firstStep, long lastStep, int maxPoints) {
        if (maxPoints < MIN_POINTS) {
            throw new IllegalArgumentException("maxPoints must be at least " + MIN_POINTS);
        }
        return new Downsampling(maxPoints, maxPoints / 2, firstStep, lastStep);
    }

    /** Whether a range holding {@code points} points is answered with every point. */
    public boolean fullResolution(long points) {
        return points <= maxPoints;
    }

    /** The bucket of a step within [firstStep, lastStep]: 0 to buckets - 1. */
    public int bucket(long step) {
        double width = ((double) lastStep - firstStep + 1) / buckets;
        return (int) Math.min(buckets - 1, Math.floor((step - firstStep) / width));
    }
}
