package dev.reprise.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonLineParserTest {

    private final JsonLineParser parser = new JsonLineParser();

    @Test
    void turnsTopLevelNumbersIntoMetricsAndTakesStepFromStep() {
        ParsedLine line = parser.parse("{\"step\": 10, \"loss\": 0.31, \"acc\": 0.9}");

        assertThat(line.step()).isEqualTo(10L);
        assertThat(line.metrics()).containsExactly(new ParsedMetric("loss", 0.31), new ParsedMetric("acc", 0.9));
    }

    @Test
    void ignoresStringsBooleansNullsArraysAndNestedObjects() {
        ParsedLine line = parser.parse(
                "{\"phase\":\"train\",\"ok\":true,\"none\":null,\"hist\":[1,2],\"nested\":{\"x\":1},\"lr\":1e-4}");

        assertThat(line.step()).isNull();
        assertThat(line.metrics()).containsExactly(new ParsedMetric("lr", 1e-4));
    }

    @Test
    void acceptsPythonNonFiniteSpellings() {
        ParsedLine line = parser.parse("{\"a\": NaN, \"b\": Infinity, \"c\": -Infinity}");

        assertThat(line.metrics()).extracting(ParsedMetric::value)
                .containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
    }

    @Test
    void usesEpochAsStepWhenThereIsNoStep() {
        ParsedLine line = parser.parse("{\"epoch\": 3, \"val_loss\": 0.2}");

        assertThat(line.step()).isEqualTo(3L);
        assertThat(line.metrics()).containsExactly(new ParsedMetric("val_loss", 0.2));
    }

    @Test
    void prefersStepOverEpochAndKeepsEpochAsMetric() {
        ParsedLine line = parser.parse("{\"epoch\": 2, \"_step\": 7, \"step\": 120, \"loss\": 1}");

        assertThat(line.step()).isEqualTo(120L);
        assertThat(line.metrics()).containsExactly(
                new ParsedMetric("epoch", 2), new ParsedMetric("_step", 7), new ParsedMetric("loss", 1));
    }

    @Test
    void treatsFractionalOrNegativeStepAsOrdinaryMetric() {
        assertThat(parser.parse("{\"step\": 1.5, \"loss\": 1}").step()).isNull();
        assertThat(parser.parse("{\"step\": 1.5, \"loss\": 1}").metrics()).hasSize(2);
        assertThat(parser.parse("{\"step\": -1, \"loss\": 1}").step()).isNull();
        assertThat(parser.parse("{\"step\": 4.0, \"loss\": 1}").step()).isEqualTo(4L);
    }

    @Test
    void passesOverMalformedOrNonObjectLines() {
        assertThat(parser.parse("{\"loss\": 0.3").isEmpty()).isTrue();
        assertThat(parser.parse("{\"loss\": 0.3}}").isEmpty()).isTrue();
        assertThat(parser.parse("{\"loss\": 0.3} {\"acc\": 1}").isEmpty()).isTrue();
        assertThat(parser.parse("[1, 2, 3]").isEmpty()).isTrue();
        assertThat(parser.parse("{}").isEmpty()).isTrue();
        assertThat(parser.parse("{not json at all}").isEmpty()).isTrue();
        assertThat(parser.parse("loss=0.3").isEmpty()).isTrue();
        assertThat(parser.parse("").isEmpty()).isTrue();
    }

    @Test
    void acceptsSurroundingWhitespace() {
        assertThat(parser.parse("  {\"loss\": 2}\t").metrics()).containsExactly(new ParsedMetric("loss", 2));
    }

    @Test
    void readsLargeIntegersAsDoubles() {
        assertThat(parser.parse("{\"tokens\": 12345678901234567890}").metrics())
                .containsExactly(new ParsedMetric("tokens", 1.2345678901234567e19));
    }
}
