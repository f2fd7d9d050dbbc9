package dev.reprise.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricFormatsTest {

    @Test
    void countsAJsonLineOnlyOnceEvenIfItLooksLikeKeyValue() {
        LineParser parser = MetricFormats.outputParser(MetricFormats.DEFAULT, List.of());

        assertThat(parser.parse("{\"note\": \"a=1\", \"loss\": 2}").metrics())
                .containsExactly(new ParsedMetric("loss", 2));
    }

    @Test
    void userRegexWinsOverKeyValueForTheSameLine() {
        LineParser parser = MetricFormats.outputParser(MetricFormats.DEFAULT,
                List.of(Pattern.compile("val=(?<valLoss>\\S+)")));

        assertThat(parser.parse("val=0.5 loss=1").metrics()).containsExactly(new ParsedMetric("valLoss", 0.5));
        assertThat(parser.parse("loss=1").metrics()).containsExactly(new ParsedMetric("loss", 1));
    }

    @Test
    void parsesNothingWithFormatNone() {
        LineParser parser = MetricFormats.outputParser(List.of("none"), List.of());

        assertThat(parser.parse("{\"loss\": 1}").isEmpty()).isTrue();
        assertThat(parser.parse("loss=1").isEmpty()).isTrue();
    }

    @Test
    void keepsGoingWhenAParserThrows() {
        LineParser broken = line -> {
            throw new IllegalStateException("boom");
        };
        LineParser parser = new CompositeParser(List.of(broken, KeyValueParser.equalsSign()));

        assertThat(parser.parse("loss=1").metrics()).containsExactly(new ParsedMetric("loss", 1));
    }
}
