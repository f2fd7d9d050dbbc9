package dev.reprise.api.messages;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricKeysTest {

    @Test
    void acceptsKeysOfOneTo256PrintableCharactersUnicodeIncluded() {
        assertThat(MetricKeys.rejection("train/loss")).isEmpty();
        assertThat(MetricKeys.rejection("ünïcode λ")).isEmpty();
        assertThat(MetricKeys.rejection("k".repeat(MetricPoint.MAX_KEY_LENGTH))).isEmpty();
    }

    @Test
    void refusesEmptyAndOverlongKeys() {
        assertThat(MetricKeys.rejection("")).contains(MetricKeys.EMPTY);
        assertThat(MetricKeys.rejection("k".repeat(MetricPoint.MAX_KEY_LENGTH + 1))).contains(MetricKeys.TOO_LONG);
    }

    @Test
    void refusesControlAndLineSeparatorCharacters() {
        for (String key : new String[] {"a\tb", "a\u0000b", "a\u007fb", "a\u0085b", "a\u2028b", "a\u2029b"}) {
            assertThat(MetricKeys.rejection(key)).as(MetricKeys.printable(key)).contains(MetricKeys.CONTROL_CHARACTERS);
        }
    }

    @Test
    void refusesBidirectionalControlsThatMakeAKeyDisplayAsAnother() {
        for (char c : new char[] {'\u202a', '\u202e', '\u2066', '\u2069'}) {
            assertThat(MetricKeys.rejection("loss" + c + "x")).as("U+%04X", (int) c)
                    .contains(MetricKeys.BIDI_CHARACTERS);
        }
        assertThat(MetricKeys.rejection("loss\u202fx")).isEmpty();
    }

    @Test
    void printsAKeyForAWarningShortenedAndWithControlsEscaped() {
        assertThat(MetricKeys.printable("a\u0007b")).isEqualTo("a\\u0007b");
        assertThat(MetricKeys.printable("x".repeat(100))).hasSize(65).endsWith("…");
    }
}
