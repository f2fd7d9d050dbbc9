package dev.reprise.agent.metrics;

import dev.reprise.api.messages.MetricKeys;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NumbersTest {

    @Test
    void parsesDecimalAndScientificNumbers() {
        assertThat(Numbers.parse("0.25").getAsDouble()).isEqualTo(0.25);
        assertThat(Numbers.parse("-3").getAsDouble()).isEqualTo(-3);
        assertThat(Numbers.parse("+.5").getAsDouble()).isEqualTo(0.5);
        assertThat(Numbers.parse("1e-4").getAsDouble()).isEqualTo(1e-4);
        assertThat(Numbers.parse(" 7. ").getAsDouble()).isEqualTo(7);
    }

    @Test
    void refusesWhatJavaWouldOtherwiseAccept() {
        assertThat(Numbers.parse("1f")).isEmpty();
        assertThat(Numbers.parse("0x10")).isEmpty();
        assertThat(Numbers.parse("1_000")).isEmpty();
        assertThat(Numbers.parse("")).isEmpty();
        assertThat(Numbers.parse("abc")).isEmpty();
    }

    @Test
    void parsesNonFiniteWords() {
        assertThat(Numbers.parse("NaN").getAsDouble()).isNaN();
        assertThat(Numbers.parse("-inf").getAsDouble()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Numbers.parse("Infinity").getAsDouble()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void acceptsOnlyWholeNonNegativeFiniteSteps() {
        assertThat(Numbers.asStep(12.0)).isEqualTo(12L);
        assertThat(Numbers.asStep(0)).isZero();
        assertThat(Numbers.asStep(1.5)).isNull();
        assertThat(Numbers.asStep(-1)).isNull();
        assertThat(Numbers.asStep(Double.NaN)).isNull();
        assertThat(Numbers.asStep(Double.POSITIVE_INFINITY)).isNull();
    }

    @Test
    void escapesControlCharactersInPrintableKeys() {
        assertThat(MetricKeys.printable("a\u0007b")).isEqualTo("a\\u0007b");
        assertThat(MetricKeys.printable("x".repeat(100))).hasSize(65).endsWith("…");
        assertThat(MetricKeys.rejection("")).contains(MetricKeys.EMPTY);
        assertThat(MetricKeys.rejection("loss/train ünï")).isEmpty();
    }
}
