package dev.reprise.orchestrator.domain.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DownsamplingTest {

    @Test
    void answersAtFullResolutionWhenTheRangeFits() {
        Downsampling plan = Downsampling.of(0, 999, 1000);
        assertThat(plan.fullResolution(1000)).isTrue();
        assertThat(plan.fullResolution(1001)).isFalse();
    }

    @Test
    void cutsTheStepRangeIntoHalfAsManyBucketsAsPoints() {
        Downsampling plan = Downsampling.of(0, 999_999, 501);
        assertThat(plan.buckets()).isEqualTo(250);
        assertThat(plan.bucket(0)).isZero();
        assertThat(plan.bucket(3999)).isZero();
        assertThat(plan.bucket(4000)).isEqualTo(1);
        assertThat(plan.bucket(999_999)).isEqualTo(249);
    }

    @Test
    void handlesHugeAndOffsetStepRanges() {
        Downsampling plan = Downsampling.of(Long.MAX_VALUE - 100, Long.MAX_VALUE, 4);
        assertThat(plan.bucket(Long.MAX_VALUE - 100)).isZero();
        assertThat(plan.bucket(Long.MAX_VALUE)).isEqualTo(1);
        assertThatThrownBy(() -> Downsampling.of(0, 9, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cutsARangeSpanningEnoughBlocksIntoBucketsOfWholeBlocks() {
        // steps 100 .. 999_999 in blocks of 64: block 1 (steps 64-127, cut at 100) to block 15_624
        Downsampling.WholeBlocks plan = Downsampling.inWholeBlocks(100, 999_999, 1000, 6).orElseThrow();
        assertThat(plan.buckets()).isEqualTo(500);
        assertThat(plan.span().blocks()).isEqualTo(15_624);
        assertThat(plan.bucket(100)).isZero();
        assertThat(plan.bucket(999_999)).isEqualTo(499);
        int[] blocksPerBucket = new int[plan.buckets()];
        for (long block = 1; block <= 15_624; block++) {
            blocksPerBucket[plan.bucketOfBlock(block)]++;
            // a block never straddles two buckets
            assertThat(plan.bucket(block * 64)).isEqualTo(plan.bucket(block * 64 + 63));
        }
        assertThat(java.util.Arrays.stream(blocksPerBucket).min().orElseThrow()).isEqualTo(31);
        assertThat(java.util.Arrays.stream(blocksPerBucket).max().orElseThrow()).isEqualTo(32);
    }

    @Test
    void keepsEqualStepBucketsWhenTheRangeSpansFewerBlocksThanBuckets() {
        assertThat(Downsampling.inWholeBlocks(0, 64 * 499 - 1, 1000, 6)).isEmpty();
        assertThat(Downsampling.inWholeBlocks(0, 64 * 500 - 1, 1000, 6)).isPresent();
        assertThat(Downsampling.inWholeBlocks(Long.MAX_VALUE - 100, Long.MAX_VALUE, 4, 6)).isPresent();
    }

    @Test
    void readsTheRawPointsOfTheBlocksCutByTheRangeEnds() {
        Downsampling.BlockSpan span = Downsampling.BlockSpan.of(100, 1000, 6);
        assertThat(span.firstBlock()).isEqualTo(1);
        assertThat(span.lastBlock()).isEqualTo(15);
        assertThat(span.headEnd()).isEqualTo(127);
        assertThat(span.hasTail()).isTrue();
        assertThat(span.tailStart()).isEqualTo(960);
        Downsampling.BlockSpan oneBlock = Downsampling.BlockSpan.of(70, 80, 6);
        assertThat(oneBlock.blocks()).isEqualTo(1);
        assertThat(oneBlock.headEnd()).isEqualTo(80);
        assertThat(oneBlock.hasTail()).isFalse();
        Downsampling.BlockSpan top = Downsampling.BlockSpan.of(Long.MAX_VALUE - 1, Long.MAX_VALUE, 6);
        assertThat(top.headEnd()).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> Downsampling.BlockSpan.of(5, 4, 6)).isInstanceOf(IllegalArgumentException.class);
    }
}
