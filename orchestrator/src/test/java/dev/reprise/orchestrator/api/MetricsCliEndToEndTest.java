package dev.reprise.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.api.messages.LogStream;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.StopReason;
import dev.reprise.cli.RepriseCli;
import dev.reprise.orchestrator.messaging.ReportIngest;
import dev.reprise.orchestrator.messaging.Reports;
import dev.reprise.orchestrator.messaging.StoredPoints;
import dev.reprise.orchestrator.messaging.TestRuns;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** reprise metrics and reprise logs (--follow) against the real orchestrator, fed through the real Kafka. */
@QuarkusTest
class MetricsCliEndToEndTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URL server;

    @TempDir
    Path tmp;

    @Inject
    ReportIngest ingest;

    @Inject
    StoredPoints stored;

    private record Result(int exit, String out, String err) {
    }

    private Result reprise(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = RepriseCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true),
                Map.of("REPRISE_TOKEN", dev.reprise.orchestrator.security.TestCredentials.ADMIN_TOKEN,
                        "REPRISE_SERVER", server.toString(), "XDG_CONFIG_HOME", tmp.toString(), "HOME",
                        tmp.toString()));
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void showsTheKeysOfARunAndTheValuesOfOneKey() {
        await().atMost(PATIENCE).until(ingest::ready);
        long run = TestRuns.create();
        try (Reports reports = new Reports()) {
            reports.batch(run, 0, 0, List.of(Reports.point("train/loss", 0, 2.5, 0),
                    Reports.point("train/loss", 1, 1.25, 1), Reports.point("acc", 1, 0.5, 2)));
        }
        await().atMost(PATIENCE).until(() -> stored.of(run).size() == 3);

        Result keys = reprise("metrics", Long.toString(run));
        assertThat(keys.exit()).as(keys.err()).isZero();
        assertThat(keys.out()).containsPattern("train/loss\\s+2\\s+1\\s+1.25\\s+1.25\\s+2.5")
                .containsPattern("acc\\s+1\\s+1\\s+0.5");

        Result series = reprise("metrics", Long.toString(run), "train/loss");
        assertThat(series.exit()).as(series.err()).isZero();
        assertThat(series.out()).containsPattern("0\\s+2.5\\n\\s*1\\s+1.25\\n2 points, attempt 0");

        Result missing = reprise("metrics", Long.toString(run), "nope");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("404").contains("metric 'nope' of run " + run + " does not exist");
    }

    @Test
    void followsTheLogUntilTheAttemptEnds() {
        await().atMost(PATIENCE).until(ingest::ready);
        long run = TestRuns.create();
        try (Reports reports = new Reports()) {
            reports.send(new RunEvent.LogChunk(run, 0, 0, LogStream.STDOUT, 0, List.of("epoch 1", "epoch 2")));
        }
        await().atMost(PATIENCE).until(() -> reprise("logs", Long.toString(run)).out().equals("epoch 1\nepoch 2\n"));

        CompletableFuture<Result> follow = CompletableFuture.supplyAsync(
                () -> reprise("logs", Long.toString(run), "--follow", "--poll-interval", "100"));
        try (Reports reports = new Reports()) {
            reports.send(new RunEvent.LogChunk(run, 0, 1, LogStream.STDERR, 0, List.of("warning: slow")));
            reports.send(new RunEvent.LogChunk(run, 0, 2, LogStream.STDOUT, 2, List.of("epoch 3")));
            reports.send(new RunEvent.Finished(run, 0, 3, 0, StopReason.COMPLETED, null, System.currentTimeMillis()));
        }
        Result followed = follow.orTimeout(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(followed.exit()).as(followed.err()).isZero();
        assertThat(followed.out().lines()).containsExactlyInAnyOrder("epoch 1", "epoch 2", "epoch 3",
                "warning: slow");
        assertThat(followed.out().lines().filter(l -> l.startsWith("epoch"))).containsExactly("epoch 1", "epoch 2",
                "epoch 3");
    }
}
