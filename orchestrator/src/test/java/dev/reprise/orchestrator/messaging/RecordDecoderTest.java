package dev.reprise.orchestrator.messaging;

import dev.reprise.api.messages.MetricKeys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.api.messages.GpuSample;
import dev.reprise.api.messages.LogStream;
import dev.reprise.api.messages.MessageCodec;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.MetricPoint;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.StopReason;
import dev.reprise.api.messages.Topics;
import dev.reprise.orchestrator.persistence.IngestBatch;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {

    private final MessageCodec codec = new MessageCodec();
    private final RecordDecoder decoder = new RecordDecoder(Topics.METRICS);
    private long offset;

    @Test
    void turnsAMetricBatchIntoPointsAndCountsRefusedPointsPerReason() {
        MetricBatch batch = new MetricBatch(7, 1, "a", 4, List.of(new MetricPoint("loss", 3, 1000, Double.NaN, 0),
                new MetricPoint("x".repeat(257), 3, 1000, 1, 1), new MetricPoint("y".repeat(300), 3, 1000, 1, 2),
                new MetricPoint("ok", -1, 1000, 1, 3), new MetricPoint("late", 1, -5, 1, 4)));
        RecordDecoder.Translation t = translate(Set.of(7L), record(Topics.METRICS, "7", codec.encode(batch)));

        assertThat(t.deadLetters()).isEmpty();
        assertThat(t.batch().points()).containsExactly(
                new IngestBatch.Point(7, 1, "loss", 3, 0, 1000, Double.NaN, false));
        assertThat(t.batch().warnings()).extracting(IngestBatch.Warning::reason, IngestBatch.Warning::count,
                IngestBatch.Warning::originSeq).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(MetricKeys.TOO_LONG, 2L, 4L),
                org.assertj.core.groups.Tuple.tuple(PointRules.NEGATIVE_STEP, 1L, 4L),
                org.assertj.core.groups.Tuple.tuple(PointRules.TIMESTAMP_OUT_OF_RANGE, 1L, 4L));
        assertThat(t.batch().warnings()).filteredOn(w -> w.reason().equals(MetricKeys.TOO_LONG))
                .extracting(IngestBatch.Warning::example).containsExactly("x".repeat(64) + "…");
    }

    @Test
    void turnsEventsIntoReportsLogLinesAndSystemPoints() {
        RunEvent.Heartbeat hb = new RunEvent.Heartbeat(7, 0, 5, 2000, 150.0, 3.5, 1024, 2,
                List.of(new GpuSample(0, "GPU-1", "H100", 97, 1000L, 80000L, null, 61, 1980)));
        RunEvent.LogChunk chunk = new RunEvent.LogChunk(7, 0, 6, LogStream.STDERR, 10, List.of("a", "nul\0here"));
        RecordDecoder.Translation t = translate(Set.of(7L), record(Topics.RUN_EVENTS, "7", codec.encode(hb)),
                record(Topics.RUN_EVENTS, "7", codec.encode(chunk)));

        assertThat(t.batch().heartbeats()).containsExactly(hb);
        assertThat(t.batch().points()).extracting(IngestBatch.Point::key).containsExactly("sys/cpu.percent",
                "sys/cpu.seconds", "sys/mem.rss_bytes", "sys/proc.count", "sys/gpu.0.util", "sys/gpu.0.mem_used_mib",
                "sys/gpu.0.mem_total_mib", "sys/gpu.0.temp_c", "sys/gpu.0.sm_clock_mhz");
        assertThat(t.batch().points()).allSatisfy(p -> {
            assertThat(p.step()).isEqualTo(5);
            assertThat(p.seq()).isEqualTo(5);
            assertThat(p.system()).isTrue();
        });
        assertThat(t.batch().logLines()).containsExactly(new IngestBatch.LogLine(7, 0, 2, 10, 6, "a"),
                new IngestBatch.LogLine(7, 0, 2, 11, 6, "nul\uFFFDhere"));
    }

    @Test
    void masksTheRunsOwnSecretsInLogLinesBeforeTheyAreStored() {
        RecordDecoder masking = new RecordDecoder(Topics.METRICS, RecordDecoder.RunTokenCheck.ACCEPT_ALL,
                (runId, attempt, line) -> dev.reprise.orchestrator.domain.security.SecretRedactor.mask(line,
                        runId == 7 && attempt == 0 ? List.of("db-s3cret", "rpr_run_7_0_mac") : List.of()));
        RunEvent.LogChunk chunk = new RunEvent.LogChunk(7, 0, 6, LogStream.STDOUT, 0,
                List.of("password is db-s3cret, token rpr_run_7_0_mac", "plain"));
        ConsumerRecord<byte[], byte[]> r = record(Topics.RUN_EVENTS, "7", codec.encode(chunk));

        RecordDecoder.Translation t = masking.translate(List.of(masking.decode(r)), Set.of(7L));

        assertThat(t.batch().logLines()).extracting(IngestBatch.LogLine::text)
                .containsExactly("password is [redacted], token [redacted]", "plain");
    }

    @Test
    void deadLettersWhatCannotBeProcessedWithTheReason() {
        byte[] batchOfRun8 = codec.encode(new MetricBatch(8, 0, "a", 0, List.of(new MetricPoint("k", 0, 1, 1, 0))));
        RecordDecoder.Translation t = translate(Set.of(7L),
                record(Topics.METRICS, "7", "{".getBytes(StandardCharsets.UTF_8)),
                record(Topics.METRICS, "7", batchOfRun8),
                record(Topics.METRICS, "8", batchOfRun8),
                record(Topics.RUN_EVENTS, "7", "{\"type\":\"nope\"}".getBytes(StandardCharsets.UTF_8)),
                record(Topics.RUN_EVENTS, "7", null),
                record(Topics.RUN_EVENTS, "7", codec.encode(new RunEvent.Finished(7, 0, 1, 0,
                        dev.reprise.api.messages.StopReason.COMPLETED, null, Long.MAX_VALUE))));

        assertThat(t.batch().isEmpty()).isTrue();
        assertThat(t.deadLetters()).extracting(DeadLetter::kind).containsExactly(DeadLetter.Kind.MALFORMED,
                DeadLetter.Kind.KEY_MISMATCH, DeadLetter.Kind.UNKNOWN_RUN, DeadLetter.Kind.MALFORMED,
                DeadLetter.Kind.MALFORMED, DeadLetter.Kind.MALFORMED);
        assertThat(t.deadLetters().get(1).reason()).isEqualTo("record key '7' is not the run id 8");
        assertThat(t.deadLetters().get(3).reason()).isEqualTo("unknown run event type 'nope'");
        assertThat(t.deadLetters().get(5).reason()).isEqualTo("Finished: timestamp out of range");
    }

    @Test
    void keepsAnotherRanksReportsForThatRankAndRankZerosForTheRunToo() {
        RunEvent.Started started1 = new RunEvent.Started(7, 0, 0, "a1", 11, "node-1", List.of("python3"), "v", 1000);
        RunEvent.Finished finished1 = new RunEvent.Finished(7, 0, 2, 3, StopReason.FAILED, null, 2000);
        RunEvent.LogChunk chunk1 = new RunEvent.LogChunk(7, 0, 1, LogStream.STDOUT, 0, List.of("one"));
        RunEvent.Heartbeat beat0 = new RunEvent.Heartbeat(7, 0, 1, 2000, null, 1, 2, 1, List.of());
        RecordDecoder.Translation t = translate(Set.of(7L),
                ranked(record(Topics.RUN_EVENTS, "7", codec.encode(started1)), "1"),
                ranked(record(Topics.RUN_EVENTS, "7", codec.encode(chunk1)), "1"),
                ranked(record(Topics.RUN_EVENTS, "7", codec.encode(finished1)), "1"),
                ranked(record(Topics.RUN_EVENTS, "7", codec.encode(beat0)), "0"));

        assertThat(t.deadLetters()).isEmpty();
        assertThat(t.batch().starts()).as("rank 1's start is not the run's").isEmpty();
        assertThat(t.batch().finishes()).as("rank 1's exit is not the run's").isEmpty();
        assertThat(t.batch().heartbeats()).as("rank 0's heartbeat is the run's").containsExactly(beat0);
        assertThat(t.batch().logLines()).containsExactly(new IngestBatch.LogLine(7, 0, 1, 0, 1, "one", 1));
        assertThat(t.batch().rankReports()).extracting(IngestBatch.RankReport::rank,
                r -> r.event().getClass().getSimpleName()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "Started"), org.assertj.core.groups.Tuple.tuple(1, "Finished"),
                org.assertj.core.groups.Tuple.tuple(0, "Heartbeat"));
        assertThat(t.batch().points()).as("rank 0's system telemetry is the run's").isNotEmpty();
    }

    @Test
    void deadLettersABadRankHeaderAndAnotherRanksMetricsOrParams() {
        MetricBatch batch = new MetricBatch(7, 0, "a", 0, List.of(new MetricPoint("loss", 1, 1000, 1, 0)));
        RunEvent.ParamsLogged params = new RunEvent.ParamsLogged(7, 0, 4, java.util.Map.of("lr", "0.1"), 1000);
        RunEvent.LogChunk chunk = new RunEvent.LogChunk(7, 0, 1, LogStream.STDOUT, 0, List.of("one"));
        RecordDecoder.Translation t = translate(Set.of(7L),
                ranked(record(Topics.METRICS, "7", codec.encode(batch)), "2"),
                ranked(record(Topics.RUN_EVENTS, "7", codec.encode(params)), "2"),
                ranked(record(Topics.RUN_EVENTS, "7", codec.encode(chunk)), "-1"),
                ranked(record(Topics.RUN_EVENTS, "7", codec.encode(chunk)), "99999"));

        assertThat(t.batch().isEmpty()).isTrue();
        assertThat(t.deadLetters()).extracting(DeadLetter::reason).containsExactly(
                "metrics of rank 2: only rank 0 reports a distributed run's metrics",
                "params of rank 2: only rank 0 reports a distributed run's params",
                "header reprise-rank is not a rank (0 to 4095)", "header reprise-rank is not a rank (0 to 4095)");
    }

    private static ConsumerRecord<byte[], byte[]> ranked(ConsumerRecord<byte[], byte[]> r, String rank) {
        r.headers().add(dev.reprise.api.messages.RunHeaders.RANK, rank.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private RecordDecoder.Translation translate(Set<Long> known, ConsumerRecord<byte[], byte[]>... records) {
        return decoder.translate(java.util.Arrays.stream(records).map(decoder::decode).toList(), known);
    }

    private ConsumerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ConsumerRecord<>(topic, 0, offset++, key.getBytes(StandardCharsets.UTF_8), value);
    }
}
