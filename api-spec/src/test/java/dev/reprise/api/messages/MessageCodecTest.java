package dev.reprise.api.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void roundTripsMetricBatchIncludingNonFiniteValues() {
        MetricBatch batch = new MetricBatch(42, 1, "pod-a-1f2e", 7, List.of(
                new MetricPoint("loss", 10, 1_700_000_000_000L, 0.31, 0),
                new MetricPoint("loss", 11, 1_700_000_000_001L, Double.NaN, 1),
                new MetricPoint("grad/norm", 11, 1_700_000_000_002L, Double.POSITIVE_INFINITY, 2),
                new MetricPoint("grad/min", 11, 1_700_000_000_003L, Double.NEGATIVE_INFINITY, 3)));

        MetricBatch decoded = codec.decodeMetricBatch(codec.encode(batch));

        assertThat(decoded).isEqualTo(batch);
        assertThat(decoded.points().get(1).value()).isNaN();
    }

    @Test
    void writesMetricBatchWithPlainFieldNames() {
        MetricBatch batch = new MetricBatch(42, 1, "a", 0, List.of(new MetricPoint("acc", 3, 5, 0.5, 9)));

        String json = new String(codec.encode(batch), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"runId\":42,\"attempt\":1,\"agentId\":\"a\",\"batchSeq\":0,\"points\":"
                + "[{\"key\":\"acc\",\"step\":3,\"timestampMillis\":5,\"value\":0.5,\"seq\":9}]}");
    }

    @Test
    void roundTripsEveryRunEventKind() {
        List<RunEvent> events = List.of(
                new RunEvent.Started(42, 1, 0, "pod-a-1f2e", 1234, "pod-a", List.of("python3", "train.py"),
                        "0.1.0", 1_700_000_000_000L),
                new RunEvent.Heartbeat(42, 1, 1, 1_700_000_010_000L, null, 1.5, 1024L * 1024, 3, List.of(
                        new GpuSample(0, "GPU-d000", "NVIDIA H100 80GB HBM3", 0, 1041L, 81559L, 119.5, 40, 1980),
                        new GpuSample(1, "GPU-d001", "NVIDIA H100 80GB HBM3", null, null, null, null, null, null))),
                new RunEvent.LogChunk(42, 1, 2, LogStream.STDERR, 100, List.of("line one", "", "ünïcödé")),
                new RunEvent.MetricWarning(42, 1, 3, 2, "key contains control characters", "bad\\u0007key",
                        1_700_000_020_000L),
                new RunEvent.ParamsLogged(42, 1, 6, java.util.Map.of("lr", "0.001", "optimizer", "adam w"),
                        1_700_000_025_000L),
                new RunEvent.Finished(42, 1, 4, 143, StopReason.TERMINATED, 15, 1_700_000_030_000L),
                new RunEvent.Finished(42, 1, 5, 65, StopReason.AGENT_ERROR, null, 1_700_000_040_000L,
                        "data snapshot sha256:ab… does not verify"));

        for (RunEvent event : events) {
            assertThat(codec.decodeRunEvent(codec.encode(event))).isEqualTo(event);
        }
    }

    @Test
    void tagsRunEventsWithTheirTypeFirst() {
        RunEvent event = new RunEvent.Finished(42, 1, 4, 0, StopReason.COMPLETED, null, 5);

        String json = new String(codec.encode(event), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"type\":\"finished\",\"runId\":42,\"attempt\":1,\"seq\":4,\"exitCode\":0,"
                + "\"reason\":\"COMPLETED\",\"signal\":null,\"finishedAtMillis\":5,\"message\":null}");
    }

    @Test
    void ignoresUnknownFieldsSoEitherSideCanAddFieldsFirst() {
        String json = "{\"type\":\"finished\",\"runId\":1,\"attempt\":0,\"seq\":2,\"exitCode\":1,"
                + "\"reason\":\"FAILED\",\"signal\":null,\"finishedAtMillis\":5,\"addedLater\":true}";

        RunEvent event = codec.decodeRunEvent(json.getBytes(StandardCharsets.UTF_8));

        assertThat(event).isEqualTo(new RunEvent.Finished(1, 0, 2, 1, StopReason.FAILED, null, 5));
    }

    @Test
    void rejectsUnknownEventTypeWithFormatException() {
        byte[] json = "{\"type\":\"exploded\",\"runId\":1}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decodeRunEvent(json))
                .isInstanceOf(MessageCodec.MessageFormatException.class)
                .hasMessageContaining("exploded");
    }

    @Test
    void rejectsMalformedJsonWithFormatException() {
        byte[] json = "{not json".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decodeRunEvent(json)).isInstanceOf(MessageCodec.MessageFormatException.class);
        assertThatThrownBy(() -> codec.decodeMetricBatch(json)).isInstanceOf(MessageCodec.MessageFormatException.class);
    }

    @Test
    void keysBothTopicsByDecimalRunId() {
        assertThat(Topics.key(9_007_199_254_740_993L)).isEqualTo("9007199254740993");
        assertThat(Topics.METRICS).isEqualTo("reprise.metrics");
        assertThat(Topics.RUN_EVENTS).isEqualTo("reprise.run-events");
    }
}
