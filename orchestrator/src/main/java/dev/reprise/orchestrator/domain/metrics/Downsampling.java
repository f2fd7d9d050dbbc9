package dev.reprise.orchestrator.domain.metrics;

import dev.reprise.orchestrator.persistence.MetricsQuery;
import java.util.Optional;

/**
 * How a series range [firstStep, lastStep] is answered: at full resolution when it has at most {@code maxPoints}
 * points, else with {@code maxPoints / 2} min/max buckets: each bucket contributes its lowest and its highest point
 * (one point when they are the same), in step order. Spikes survive, unlike with averaging or every-n-th sampling, and
 * the answer never exceeds {@code maxPoints} points. NaN sorts above every number (PostgreSQL's order), so a bucket
 * holding a NaN shows it as its high point.
 *
 * <p>Two ways to cut the range, one shape of answer:
 * <ul>
 * <li>{@link EqualSteps}: buckets of equal step width, read from the raw points (ranges spanning few blocks);</li>
 * <li>{@link WholeBlocks}: each bucket a run of whole blocks of {@code 2^blockShift} steps (the first and last
 * cut at the range's ends), so that whole blocks are answered from the block rollups. Used when the range spans at
 * least as many blocks as there are buckets, so the bucket count is the same.</li>
 * </ul>
 */
public sealed interface Downsampling {

    int MIN_POINTS = 2;

    int maxPoints();

    int buckets();

    long firstStep();

    long lastStep();

    /** The bucket of a step within [firstStep, lastStep]: 0 to buckets - 1. */
    int bucket(long step);

    /** Whether a range holding {@code points} points is answered with every point. */
    default boolean fullResolution(long points) {
        return points <= maxPoints();
    }

    static EqualSteps of(long firstStep, long lastStep, int maxPoints) {
        if (maxPoints < MIN_POINTS) {
            throw new IllegalArgumentException("maxPoints must be at least " + MIN_POINTS);
        }
        return new EqualSteps(maxPoints, maxPoints / 2, firstStep, lastStep);
    }

    /** Buckets of whole blocks, or empty when the range spans fewer blocks than there would be buckets. */
    static Optional<WholeBlocks> inWholeBlocks(long firstStep, long lastStep, int maxPoints, int blockShift) {
        EqualSteps equal = of(firstStep, lastStep, maxPoints);
        BlockSpan span = BlockSpan.of(firstStep, lastStep, blockShift);
        return span.blocks() < equal.buckets() ? Optional.empty()
                : Optional.of(new WholeBlocks(maxPoints, equal.buckets(), span));
    }

    /** The step range cut into {@code buckets} buckets of equal width. */
    record EqualSteps(int maxPoints, int buckets, long firstStep, long lastStep) implements Downsampling {

        @Override
        public int bucket(long step) {
            double width = ((double) lastStep - firstStep + 1) / buckets;
            return (int) Math.min(buckets - 1, Math.floor((step - firstStep) / width));
        }
    }

    /**
     * Block j of the span (0 = the block of firstStep) falls in bucket {@code floor(j * buckets / blocks)}: every
     * bucket is one or more whole blocks (the first and the last cut at the range's ends), widths differ by at most
     * one block. PostgreSQL computes the same float8 expression ({@code MetricsQuery}).
     */
    record WholeBlocks(int maxPoints, int buckets, BlockSpan span) implements Downsampling {

        @Override
        public long firstStep() {
            return span.firstStep();
        }

        @Override
        public long lastStep() {
            return span.lastStep();
        }

        @Override
        public int bucket(long step) {
            return bucketOfBlock(step >> span.shift());
        }

        public int bucketOfBlock(long block) {
            return (int) Math.min(buckets - 1,
                    Math.floor((double) (block - span.firstBlock()) * buckets / (double) span.blocks()));
        }
    }

    /**
     * The blocks a step range [firstStep, lastStep] touches. The first and the last block may hold steps outside the
     * range, so they are read from the raw points ({@code [firstStep, headEnd]} and {@code [tailStart, lastStep]};
     * no tail when both ends fall in one block); the blocks strictly between are whole.
     */
    record BlockSpan(long firstStep, long lastStep, int shift) {

        public static BlockSpan of(long firstStep, long lastStep, int shift) {
            if (firstStep < 0 || lastStep < firstStep) {
                throw new IllegalArgumentException("need 0 <= firstStep <= lastStep");
            }
            return new BlockSpan(firstStep, lastStep, shift);
        }

        public long firstBlock() {
            return firstStep >> shift;
        }

        public long lastBlock() {
            return lastStep >> shift;
        }

        public long blocks() {
            return lastBlock() - firstBlock() + 1;
        }

        /** The last step of the range in the first block. */
        public long headEnd() {
            return Math.min(lastStep, (firstBlock() << shift) | ((1L << shift) - 1));
        }

        public boolean hasTail() {
            return lastBlock() > firstBlock();
        }

        /** The first step of the last block (meaningful with {@link #hasTail()}). */
        public long tailStart() {
            return lastBlock() << shift;
        }
    }
}
