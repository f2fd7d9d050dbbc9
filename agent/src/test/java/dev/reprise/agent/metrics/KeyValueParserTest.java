package dev.reprise.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyValueParserTest {

    private final KeyValueParser equals = KeyValueParser.equalsSign();
    private final KeyValueParser colon = KeyValueParser.colon();

    @Test
    void readsKatibStyleLineWithEpochAsStep() {
        ParsedLine line = equals.parse("epoch=3 loss=0.25 accuracy=0.91");

        assertThat(line.step()).isEqualTo(3L);
        assertThat(line.metrics()).containsExactly(new ParsedMetric("loss", 0.25), new ParsedMetric("accuracy", 0.91));
    }

    @Test
    void findsPairsInsideFreeText() {
        ParsedLine line = equals.parse("2024-05-01 12:00:01 INFO [trainer] step=40, lr=1e-4; grad_norm = 3.5 (ok)");

        assertThat(line.step()).isEqualTo(40L);
        assertThat(line.metrics()).containsExactly(new ParsedMetric("lr", 1e-4), new ParsedMetric("grad_norm", 3.5));
    }

    @Test
    void acceptsDottedSlashedAndDashedKeys() {
        assertThat(equals.parse("train/loss=1 val.acc=0.5 top-5=0.9").metrics()).containsExactly(
                new ParsedMetric("train/loss", 1), new ParsedMetric("val.acc", 0.5), new ParsedMetric("top-5", 0.9));
    }

    @Test
    void skipsValuesThatAreNotPlainNumbers() {
        assertThat(equals.parse("acc=91% name=resnet t=3s url=http://x?a=1&b=2 v=1.2.3").isEmpty()).isTrue();
    }

    @Test
    void readsNanAndInfinityInAnyCase() {
        assertThat(equals.parse("a=nan b=NaN c=inf d=-Infinity e=+INF").metrics()).extracting(ParsedMetric::value)
                .containsExactly(Double.NaN, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        Double.POSITIVE_INFINITY);
        assertThat(equals.parse("a=information").isEmpty()).isTrue();
    }

    @Test
    void ignoresKeysGluedToPrecedingText() {
        assertThat(equals.parse("--lr=0.1").isEmpty()).isTrue();
        assertThat(equals.parse("x.y=1").metrics()).containsExactly(new ParsedMetric("x.y", 1));
    }

    @Test
    void readsKerasColonFormatOnlyInColonMode() {
        String keras = "938/938 [==============================] - 2s 2ms/step - loss: 0.2950 - accuracy: 0.9160";

        assertThat(equals.parse(keras).isEmpty()).isTrue();
        assertThat(colon.parse(keras).metrics())
                .containsExactly(new ParsedMetric("loss", 0.2950), new ParsedMetric("accuracy", 0.9160));
    }

    @Test
    void colonModeNeedsSpaceAfterColonSoTimesAreNotMetrics() {
        assertThat(colon.parse("started at 12:30:45 Epoch:3").isEmpty()).isTrue();
    }

    @Test
    void returnsNothingForLinesWithoutPairs() {
        assertThat(equals.parse("Downloading dataset... done").isEmpty()).isTrue();
        assertThat(equals.parse("").isEmpty()).isTrue();
    }
}
