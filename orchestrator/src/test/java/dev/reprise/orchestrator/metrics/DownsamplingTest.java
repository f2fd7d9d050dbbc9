package dev.reprise.orchestrator.metrics;

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
}
