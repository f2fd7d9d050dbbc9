package dev.reprise.orchestrator.messaging;

import dev.reprise.api.messages.MetricKeys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.api.messages.MetricPoint;
import org.junit.jupiter.api.Test;

class PointRulesTest {

    @Test
    void acceptsOrdinaryKeysAndNonFiniteValues() {
        assertThat(PointRules.rejection(new MetricPoint("train/loss", 0, 1, Double.NaN, 0))).isEmpty();
        assertThat(PointRules.rejection(new MetricPoint("k".repeat(256), 5, 1, Double.NEGATIVE_INFINITY, 9)))
                .isEmpty();
        assertThat(PointRules.rejection(new MetricPoint("ünïcode λ", 0, 0, 1, 0))).isEmpty();
    }

    @Test
    void refusesAbsurdKeysReservedKeysAndImpossibleNumbers() {
        assertThat(PointRules.rejection(new MetricPoint("", 0, 1, 1, 0))).contains(MetricKeys.EMPTY);
        assertThat(PointRules.rejection(new MetricPoint("k".repeat(257), 0, 1, 1, 0)))
                .contains(MetricKeys.TOO_LONG);
        assertThat(PointRules.rejection(new MetricPoint("a\tb", 0, 1, 1, 0)))
                .contains(MetricKeys.CONTROL_CHARACTERS);
        assertThat(PointRules.rejection(new MetricPoint("a\u2028b", 0, 1, 1, 0)))
                .contains(MetricKeys.CONTROL_CHARACTERS);
        assertThat(PointRules.rejection(new MetricPoint("sys/gpu.0.util", 0, 1, 1, 0)))
                .contains(PointRules.RESERVED_PREFIX);
        assertThat(PointRules.rejection(new MetricPoint("k", -1, 1, 1, 0))).contains(PointRules.NEGATIVE_STEP);
        assertThat(PointRules.rejection(new MetricPoint("k", 0, 1, 1, -1))).contains(PointRules.NEGATIVE_SEQ);
        assertThat(PointRules.rejection(new MetricPoint("k", 0, PointRules.MAX_TIMESTAMP_MILLIS + 1, 1, 0)))
                .contains(PointRules.TIMESTAMP_OUT_OF_RANGE);
    }

    @Test
    void refusesKeysWithBidirectionalControlsThatDisguiseThem() {
        for (char c : new char[] {'\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067',
                '\u2068', '\u2069'}) {
            assertThat(PointRules.rejection(new MetricPoint("val/" + c + "ssol", 0, 1, 1, 0)))
                    .as("U+%04X", (int) c).contains(MetricKeys.BIDI_CHARACTERS);
        }
        assertThat(PointRules.rejection(new MetricPoint("מדד/loss", 0, 1, 1, 0))).as("right-to-left text itself")
                .isEmpty();
    }

    @Test
    void printsKeysShortenedWithControlCharactersEscaped() {
        assertThat(MetricKeys.printable("bell\u0007")).isEqualTo("bell\\u0007");
        assertThat(MetricKeys.printable("z".repeat(100))).isEqualTo("z".repeat(64) + "…");
    }
}
