package dev.reprise.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.agent.AgentLog;
import dev.reprise.api.messages.MessageCodec;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.MetricPoint;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.StopReason;
import dev.reprise.api.messages.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BufferedReporterTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final AgentLog log = new AgentLog(new PrintStream(logged, true, StandardCharsets.UTF_8));
    private final TestingTransport transport = new TestingTransport();
    private final MessageCodec codec = new MessageCodec();

    @Test
    void deliversEverythingInOrderOnceTheBrokerComesBack() {
        BufferedReporter reporter = new BufferedReporter(transport, new Outbox(2_000, dir.resolve("spill"), 1 << 24),
                log);

        for (int i = 0; i < 200; i++) {
            reporter.metrics(batch(i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> transport.attempts() > 0);
        assertThat(reporter.flush(Duration.ofMillis(50))).isFalse();
        transport.setUp(true);

        assertThat(reporter.flush(Duration.ofSeconds(20))).isTrue();
        assertThat(transport.delivered()).extracting(e -> codec.decodeMetricBatch(e.value()).batchSeq())
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 200).boxed().toList());
        assertThat(reporter.spilled()).isPositive();
        assertThat(logged.toString(StandardCharsets.UTF_8))
                .contains("cannot deliver to testing transport", "delivering to testing transport again");
        reporter.close();
    }

    @Test
    void neverBlocksCallersWhileTheBrokerIsDown() {
        BufferedReporter reporter = new BufferedReporter(transport, new Outbox(1_000, dir.resolve("spill"), 1 << 24),
                log);

        long start = System.nanoTime();
        for (int i = 0; i < 5_000; i++) {
            reporter.metrics(batch(i));
        }
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(elapsedMillis).isLessThan(3_000);
        assertThat(reporter.flush(Duration.ofMillis(100))).isFalse();
        reporter.close();
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("not delivered to testing transport");
    }

    @Test
    void keysBothTopicsByRunId() {
        transport.setUp(true);
        BufferedReporter reporter = new BufferedReporter(transport, new Outbox(1 << 20, dir.resolve("spill"), 1 << 20),
                log);

        reporter.metrics(batch(0));
        reporter.event(new RunEvent.Finished(42, 1, 0, 0, StopReason.COMPLETED, null, 1));

        assertThat(reporter.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(transport.delivered()).extracting(Envelope::topic, Envelope::key).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Topics.METRICS, "42"),
                org.assertj.core.groups.Tuple.tuple(Topics.RUN_EVENTS, "42"));
        reporter.close();
    }

    private static MetricBatch batch(long seq) {
        return new MetricBatch(42, 1, "agent", seq, List.of(new MetricPoint("loss", seq, 1, 0.5, seq)));
    }
}
