package dev.reprise.agent.metrics;

import dev.reprise.api.messages.MetricKeys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.api.messages.MetricPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsRecorderTest {

    private final RecordingSink sink = new RecordingSink();
    private final MetricsRecorder recorder = new MetricsRecorder(sink);
    private final LineParser parser = MetricFormats.outputParser(MetricFormats.DEFAULT, List.of());

    @Test
    void countsStepsPerKeyWhenLinesHaveNone() {
        recorder.recordLine(parser, "loss=1 acc=0.1", 5);
        recorder.recordLine(parser, "loss=0.9", 6);
        recorder.recordLine(parser, "loss=0.8 acc=0.2", 7);

        assertThat(sink.points).extracting(MetricPoint::key, MetricPoint::step).containsExactly(
                tuple("loss", 0L), tuple("acc", 0L), tuple("loss", 1L), tuple("loss", 2L), tuple("acc", 1L));
    }

    @Test
    void continuesCountingFromLastExplicitStep() {
        recorder.recordLine(parser, "{\"step\": 100, \"loss\": 1}", 1);
        recorder.recordLine(parser, "loss=2", 2);

        assertThat(sink.points).extracting(MetricPoint::step).containsExactly(100L, 101L);
    }

    @Test
    void numbersPointsInOneSequenceAcrossKeysAndSources() {
        LineParser json = new JsonLineParser();
        recorder.recordLine(parser, "a=1 b=2", 1);
        recorder.recordLine(json, "{\"c\": 3}", 2);

        assertThat(sink.points).extracting(MetricPoint::seq).containsExactly(0L, 1L, 2L);
        assertThat(sink.points).extracting(MetricPoint::timestampMillis).containsExactly(1L, 1L, 2L);
        assertThat(recorder.pointCount()).isEqualTo(3);
    }

    @Test
    void rejectsLongAndControlCharacterKeysWithoutTakingASeq() {
        String longKey = "k".repeat(257);
        recorder.record(new ParsedLine(null, List.of(
                new ParsedMetric(longKey, 1), new ParsedMetric("bad\u0007key", 2),
                new ParsedMetric("k".repeat(256), 3))), 1);

        assertThat(sink.rejections).containsExactly(MetricKeys.TOO_LONG, MetricKeys.CONTROL_CHARACTERS);
        assertThat(sink.points).singleElement().satisfies(p -> assertThat(p.seq()).isZero());
    }

    @Test
    void keepsNonFiniteValuesAsTheyAre() {
        recorder.recordLine(parser, "{\"loss\": NaN, \"scale\": -Infinity}", 1);

        assertThat(sink.points).extracting(MetricPoint::value)
                .containsExactly(Double.NaN, Double.NEGATIVE_INFINITY);
    }

    @Test
    void recordsNothingForMalformedLines() {
        assertThat(recorder.recordLine(parser, "{\"loss\": ", 1)).isZero();
        assertThat(recorder.recordLine(parser, "Traceback (most recent call last):", 1)).isZero();
        assertThat(sink.points).isEmpty();
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
