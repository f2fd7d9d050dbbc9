package dev.reprise.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.agent.AgentLog;
import dev.reprise.api.messages.LogStream;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.MetricPoint;
import dev.reprise.api.messages.RunEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchersTest {

    private final CollectingReporter reporter = new CollectingReporter();
    private final RunContext run = new RunContext(42, 2, "agent-1");
    private final AgentLog log = new AgentLog(new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8));

    @Test
    void sendsMetricBatchWhenFullAndNumbersBatches() {
        MetricBatcher batcher = new MetricBatcher(run, reporter, log, 3, 1_000);

        for (int i = 0; i < 7; i++) {
            batcher.point(new MetricPoint("loss", i, 1, i, i));
        }
        batcher.flush();

        assertThat(reporter.batches).extracting(b -> b.points().size()).containsExactly(3, 3, 1);
        assertThat(reporter.batches).extracting(MetricBatch::batchSeq).containsExactly(0L, 1L, 2L);
        assertThat(reporter.batches.get(0)).extracting(MetricBatch::runId, MetricBatch::attempt, MetricBatch::agentId)
                .containsExactly(42L, 2, "agent-1");
    }

    @Test
    void sendsPartialMetricBatchAfterLinger() {
        MetricBatcher batcher = new MetricBatcher(run, reporter, log, 100, 200);
        batcher.point(new MetricPoint("loss", 0, 1, 1, 0));

        batcher.flushIfDue(System.currentTimeMillis());
        assertThat(reporter.batches).isEmpty();
        batcher.flushIfDue(System.currentTimeMillis() + 201);

        assertThat(reporter.batches).hasSize(1);
    }

    @Test
    void reportsRejectedKeysAsCountedWarnings() {
        MetricBatcher batcher = new MetricBatcher(run, reporter, log, 100, 200);

        batcher.rejected("key longer than 256 characters", "x".repeat(300));
        batcher.rejected("key longer than 256 characters", "y".repeat(300));
        batcher.rejected("key contains control characters", "a\u0001");
        batcher.flush();

        assertThat(reporter.events).filteredOn(RunEvent.MetricWarning.class::isInstance)
                .map(RunEvent.MetricWarning.class::cast)
                .extracting(RunEvent.MetricWarning::reason, RunEvent.MetricWarning::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("key longer than 256 characters", 2L),
                        org.assertj.core.groups.Tuple.tuple("key contains control characters", 1L));
    }

    @Test
    void numbersLogLinesPerStreamAcrossChunks() {
        LogBatcher batcher = new LogBatcher(run, reporter, 2, 1_000, 1_000);

        batcher.line(LogStream.STDOUT, "a", 0);
        batcher.line(LogStream.STDERR, "x", 0);
        batcher.line(LogStream.STDOUT, "b", 0);
        batcher.line(LogStream.STDOUT, "c", 0);
        batcher.flush();

        List<RunEvent.LogChunk> chunks = reporter.events.stream().map(RunEvent.LogChunk.class::cast).toList();
        assertThat(chunks).extracting(RunEvent.LogChunk::stream, RunEvent.LogChunk::firstLine,
                RunEvent.LogChunk::lines).containsExactly(
                org.assertj.core.groups.Tuple.tuple(LogStream.STDOUT, 0L, List.of("a", "b")),
                org.assertj.core.groups.Tuple.tuple(LogStream.STDOUT, 2L, List.of("c")),
                org.assertj.core.groups.Tuple.tuple(LogStream.STDERR, 0L, List.of("x")));
        assertThat(chunks).extracting(RunEvent.LogChunk::seq).doesNotHaveDuplicates();
    }

    @Test
    void cutsVeryLongLinesAndStartsNewChunkAtCharacterLimit() {
        LogBatcher batcher = new LogBatcher(run, reporter, 100, 20_000, 1_000);

        batcher.line(LogStream.STDOUT, "x".repeat(100_000), 0);
        batcher.line(LogStream.STDOUT, "y".repeat(10_000), 0);
        batcher.flush();

        List<RunEvent.LogChunk> chunks = reporter.events.stream().map(RunEvent.LogChunk.class::cast).toList();
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(0).lines().get(0)).hasSize(LogBatcher.MAX_LINE_CHARS);
        assertThat(chunks.get(1).firstLine()).isEqualTo(1);
    }

    /** Keeps what it is given. */
    static final class CollectingReporter implements Reporter {
        final List<MetricBatch> batches = new ArrayList<>();
        final List<RunEvent> events = new ArrayList<>();

        @Override
        public synchronized void metrics(MetricBatch batch) {
            batches.add(batch);
        }

        @Override
        public synchronized void event(RunEvent event) {
            events.add(event);
        }

        @Override
        public boolean flush(Duration timeout) {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
