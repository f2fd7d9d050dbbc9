package dev.reprise.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.api.messages.MessageCodec;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.Topics;
import dev.reprise.orchestrator.security.TestCredentials;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Agents report with the run token of their own run attempt; reports without it, or with another's, are refused. */
@QuarkusTest
class RunTokenIngestTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private final MessageCodec codec = new MessageCodec();

    @Inject
    ReportIngest ingest;

    @Inject
    StoredPoints stored;

    @BeforeEach
    void ingestIsListening() {
        await().atMost(PATIENCE).until(ingest::ready);
    }

    private static List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> unauthenticated(
            DeadLetterWatch dead, long run) {
        return dead.withKey(Topics.key(run)).stream()
                .filter(r -> "unauthenticated".equals(DeadLetterWatch.header(r, "kind"))).toList();
    }

    @Test
    void anAgentTokenCannotWriteMetricsForAnotherRun() {
        List<Long> runs = TestRuns.create(2);
        long mine = runs.get(0);
        long victim = runs.get(1);
        byte[] forged = codec.encode(new MetricBatch(victim, 0, "evil-agent", 0,
                List.of(Reports.point("loss", 0, 666, 0))));
        try (DeadLetterWatch dead = new DeadLetterWatch(Topics.METRICS + ".dead-letter");
                Reports reports = new Reports()) {
            reports.send(Topics.METRICS, Topics.key(victim), forged, TestCredentials.runToken(mine, 0));
            reports.batch(victim, 0, 1, List.of(Reports.point("loss", 1, 0.5, 1)));
            // orchestrators of other test databases reading the same topics add unknown-run letters: look at ours
            await().atMost(PATIENCE).until(() -> !unauthenticated(dead, victim).isEmpty());
            assertThat(DeadLetterWatch.headers(unauthenticated(dead, victim).get(0)))
                    .containsEntry("reason", "the run token is not the one of run " + victim + " attempt 0");
            assertThat(unauthenticated(dead, victim).get(0).headers().lastHeader(dev.reprise.api.messages.RunHeaders.RUN_TOKEN))
                    .as("the token is not passed on to the dead-letter topic").isNull();
        }
        await().atMost(PATIENCE).until(() -> stored.of(victim).size() == 1);
        assertThat(stored.of(victim)).extracting(StoredPoints.Row::value).containsExactly(0.5);
    }

    @Test
    void refusesReportsWithoutARunTokenOrWithAnotherAttemptsToken() {
        long run = TestRuns.create();
        try (DeadLetterWatch dead = new DeadLetterWatch(Topics.RUN_EVENTS + ".dead-letter");
                Reports reports = new Reports()) {
            byte[] finish = codec.encode(new RunEvent.Finished(run, 0, 0, 0,
                    dev.reprise.api.messages.StopReason.COMPLETED, null, System.currentTimeMillis()));
            reports.send(Topics.RUN_EVENTS, Topics.key(run), finish, null);
            reports.send(Topics.RUN_EVENTS, Topics.key(run), finish, TestCredentials.runToken(run, 1));
            reports.send(Topics.RUN_EVENTS, Topics.key(run), finish, "rpr_run_" + run + "_0_" + "A".repeat(43));
            await().atMost(PATIENCE).until(() -> DeadLetterWatch.origins(unauthenticated(dead, run)).size() == 3);
            assertThat(unauthenticated(dead, run)).extracting(r -> DeadLetterWatch.header(r, "reason"))
                    .contains("no run token (header reprise-run-token)",
                            "the run token is not the one of run " + run + " attempt 0");
        }
        assertThat(stored.count("select count(*) from agent_reports where run_id = ?", run)).isZero();
    }
}
