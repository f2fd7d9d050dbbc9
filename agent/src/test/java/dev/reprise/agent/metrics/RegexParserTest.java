package dev.reprise.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RegexParserTest {

    @Test
    void readsOneMetricPerMatchWithKeyAndValueGroups() {
        RegexParser parser = new RegexParser(Pattern.compile("(?<key>\\w+) is (?<value>[\\d.]+)"));

        ParsedLine line = parser.parse("loss is 0.5 and accuracy is 0.75");

        assertThat(line.metrics()).containsExactly(new ParsedMetric("loss", 0.5), new ParsedMetric("accuracy", 0.75));
    }

    @Test
    void namesMetricsAfterTheirGroupsAndTakesStepGroup() {
        RegexParser parser = new RegexParser(
                Pattern.compile("Iter (?<step>\\d+): train (?<trainLoss>\\S+) val (?<valLoss>\\S+)"));

        ParsedLine line = parser.parse("Iter 300: train 1.25 val 1.5");

        assertThat(line.step()).isEqualTo(300L);
        assertThat(line.metrics())
                .containsExactly(new ParsedMetric("trainLoss", 1.25), new ParsedMetric("valLoss", 1.5));
    }

    @Test
    void usesFirstTwoUnnamedGroupsAsKeyAndValueLikeKatib() {
        RegexParser parser = new RegexParser(Pattern.compile("([\\w|-]+)\\s*=\\s*([+-]?\\d*(\\.\\d+)?([Ee][+-]?\\d+)?)"));

        assertThat(parser.parse("loss = 0.5 acc=.9").metrics())
                .containsExactly(new ParsedMetric("loss", 0.5), new ParsedMetric("acc", 0.9));
    }

    @Test
    void skipsMatchesWhoseValueIsNotANumber() {
        RegexParser parser = new RegexParser(Pattern.compile("(?<key>\\w+)=(?<value>\\S+)"));

        assertThat(parser.parse("model=resnet loss=2").metrics()).containsExactly(new ParsedMetric("loss", 2));
    }

    @Test
    void rejectsRegexesThatCannotYieldMetrics() {
        assertThat(RegexParser.validate("loss (\\d+)")).isPresent();
        assertThat(RegexParser.validate("(?<step>\\d+)")).isPresent();
        assertThat(RegexParser.validate("([")).get().asString().contains("invalid --metric-regex");
        assertThat(RegexParser.validate("(?<key>\\w+)=(?<value>\\S+)")).isEmpty();
        assertThat(RegexParser.validate("loss (?<loss>\\S+)")).isEmpty();
        assertThat(RegexParser.validate("(\\w+)=(\\S+)")).isEmpty();
    }

    @Test
    void ignoresLookbehindsWhenLookingForGroupNames() {
        RegexParser parser = new RegexParser(Pattern.compile("(?<=loss )(?<loss>[\\d.]+)"));

        assertThat(parser.parse("loss 1.5").metrics()).containsExactly(new ParsedMetric("loss", 1.5));
    }
}
