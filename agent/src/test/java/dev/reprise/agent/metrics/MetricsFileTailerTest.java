package dev.reprise.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.api.messages.MetricPoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsFileTailerTest {

    @TempDir
    Path dir;

    private final RecordingSink sink = new RecordingSink();
    private final MetricsRecorder recorder = new MetricsRecorder(sink);

    @Test
    void waitsForTheFileToAppear() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        MetricsFileTailer tailer = new MetricsFileTailer(file, recorder, () -> 1);

        assertThat(tailer.poll()).isZero();
        append(file, "{\"step\": 1, \"loss\": 0.5}\n");

        assertThat(tailer.poll()).isEqualTo(1);
        assertThat(sink.points).extracting(MetricPoint::key).containsExactly("loss");
    }

    @Test
    void holdsPartialLastLineUntilItsNewlineArrives() throws IOException {
        Path file = dir.resolve("m.jsonl");
        MetricsFileTailer tailer = new MetricsFileTailer(file, recorder, () -> 1);

        append(file, "{\"a\": 1}\n{\"b\": ");
        assertThat(tailer.poll()).isEqualTo(1);
        append(file, "2}\n");
        assertThat(tailer.poll()).isEqualTo(1);

        assertThat(sink.points).extracting(MetricPoint::key).containsExactly("a", "b");
    }

    @Test
    void countsFinalLineWithoutNewlineAtTheFinalDrain() throws IOException {
        Path file = dir.resolve("m.jsonl");
        MetricsFileTailer tailer = new MetricsFileTailer(file, recorder, () -> 1);
        append(file, "{\"a\": 1}");

        assertThat(tailer.poll()).isZero();
        assertThat(tailer.drainFinal()).isEqualTo(1);
    }

    @Test
    void ignoresLinesWrittenBeforeItStarted() throws IOException {
        Path file = dir.resolve("m.jsonl");
        append(file, "{\"old\": 1}\n");
        MetricsFileTailer tailer = new MetricsFileTailer(file, recorder, () -> 1);
        append(file, "{\"new\": 1}\n");

        tailer.poll();

        assertThat(sink.points).extracting(MetricPoint::key).containsExactly("new");
    }

    @Test
    void startsOverWhenTheFileIsTruncated() throws IOException {
        Path file = dir.resolve("m.jsonl");
        MetricsFileTailer tailer = new MetricsFileTailer(file, recorder, () -> 1);
        append(file, "{\"a\": 1}\n{\"a\": 2}\n");
        tailer.poll();

        Files.writeString(file, "{\"b\": 3}\n", StandardCharsets.UTF_8);
        tailer.poll();

        assertThat(sink.points).extracting(MetricPoint::key).containsExactly("a", "a", "b");
    }

    @Test
    void skipsMalformedAndNonJsonLines() throws IOException {
        Path file = dir.resolve("m.jsonl");
        MetricsFileTailer tailer = new MetricsFileTailer(file, recorder, () -> 1);
        append(file, "not json\n{\"a\": \n\n{\"ok\": 1}\nloss=3\n");

        assertThat(tailer.poll()).isEqualTo(1);
        assertThat(sink.points).extracting(MetricPoint::key).containsExactly("ok");
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
