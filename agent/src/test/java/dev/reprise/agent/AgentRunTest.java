package dev.reprise.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.reprise.api.messages.LogStream;
import dev.reprise.api.messages.MetricPoint;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.StopReason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentRunTest {

    @TempDir
    Path workDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream agentLog = new ByteArrayOutputStream();
    private final RecordingReporter reporter = new RecordingReporter();

    @Test
    void capturesPrintedAndFileMetricsAndPassesOutputThroughUnchanged() throws Exception {
        String script = String.join("\n",
                "echo '{\"step\": 10, \"loss\": 0.31, \"acc\": 0.9}'",
                "echo 'epoch=3 loss=0.25 accuracy=0.91'",
                "echo '{\"loss\": 0.2' ",
                "echo 'Traceback-looking noise: nothing = here'",
                "echo 'val_loss=NaN' >&2",
                "printf 'progress 50%%\\rprogress 100%%\\n'",
                "echo '{\"step\": 5, \"lr\": 0.001}' >> \"$REPRISE_METRICS_FILE\"",
                "printf '{\"step\": 6, \"lr\": 0.0005}' >> \"$REPRISE_METRICS_FILE\"",
                "printf 'no newline at end'");

        int code = execute(options("--run-id", "42", "--attempt", "1", "--", "sh", "-c", script));

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "{\"step\": 10, \"loss\": 0.31, \"acc\": 0.9}\nepoch=3 loss=0.25 accuracy=0.91\n{\"loss\": 0.2\n"
                        + "Traceback-looking noise: nothing = here\nprogress 50%\rprogress 100%\nno newline at end");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("val_loss=NaN\n");
        List<MetricPoint> points = reporter.points();
        assertThat(points).extracting(MetricPoint::key, MetricPoint::step).containsExactlyInAnyOrder(
                tuple("loss", 10L), tuple("acc", 10L), tuple("loss", 3L), tuple("accuracy", 3L),
                tuple("val_loss", 0L), tuple("lr", 5L), tuple("lr", 6L));
        assertThat(points).extracting(MetricPoint::seq).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(points).filteredOn(p -> p.key().equals("val_loss")).singleElement()
                .satisfies(p -> assertThat(p.value()).isNaN());
        List<RunEvent> events = reporter.events();
        assertThat(events.get(0)).isInstanceOfSatisfying(RunEvent.Started.class, s -> {
            assertThat(s.runId()).isEqualTo(42);
            assertThat(s.attempt()).isEqualTo(1);
            assertThat(s.command()).startsWith("sh", "-c");
            assertThat(s.pid()).isPositive();
        });
        assertThat(events.get(events.size() - 1)).isEqualTo(new RunEvent.Finished(42, 1, events.size() - 1, 0,
                StopReason.COMPLETED, null, ((RunEvent.Finished) events.get(events.size() - 1)).finishedAtMillis()));
        assertThat(events).extracting(RunEvent::seq).isSorted().doesNotHaveDuplicates();
        assertThat(reporter.events(RunEvent.LogChunk.class)).filteredOn(c -> c.stream() == LogStream.STDOUT)
                .flatMap(RunEvent.LogChunk::lines).contains("progress 100%", "no newline at end");
        assertThat(reporter.closed()).isTrue();
    }

    @Test
    void exitsWithTheCommandsNonZeroCodeAndReportsFailed() throws Exception {
        int code = execute(options("--run-id", "1", "--", "sh", "-c", "echo 'loss=1'; exit 7"));

        assertThat(code).isEqualTo(7);
        assertThat(finished().reason()).isEqualTo(StopReason.FAILED);
        assertThat(finished().exitCode()).isEqualTo(7);
        assertThat(agentLog.toString(StandardCharsets.UTF_8)).contains("FAILED (exit 7)");
    }

    @Test
    void reportsAgentErrorAndExits127WhenTheCommandIsMissing() throws Exception {
        int code = execute(options("--run-id", "1", "--", "reprise-no-such-command"));

        assertThat(code).isEqualTo(127);
        assertThat(reporter.events()).singleElement().isInstanceOfSatisfying(RunEvent.Finished.class, f -> {
            assertThat(f.reason()).isEqualTo(StopReason.AGENT_ERROR);
            assertThat(f.exitCode()).isEqualTo(127);
        });
        assertThat(agentLog.toString(StandardCharsets.UTF_8)).contains("cannot run 'reprise-no-such-command'");
    }

    @Test
    void forwardsStopRequestAndReportsTerminated() throws Exception {
        AgentRun run = newRun(options("--run-id", "5", "--", "sh", "-c",
                "trap 'echo saving checkpoint; exit 143' TERM; echo ready; while :; do sleep 0.05; done"));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> executeUnchecked(run));
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString(StandardCharsets.UTF_8).contains("ready"));

        run.requestStop("TERM");

        assertThat(exit.get()).isEqualTo(143);
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("saving checkpoint\n");
        assertThat(finished()).extracting(RunEvent.Finished::reason, RunEvent.Finished::signal)
                .containsExactly(StopReason.TERMINATED, 15);
    }

    @Test
    void killsAfterTheGracePeriodAndReportsKilled() throws Exception {
        AgentRun run = newRun(options("--run-id", "5", "--grace-period", "300ms", "--", "sh", "-c",
                "trap '' TERM; echo ready; while :; do sleep 0.05; done"));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> executeUnchecked(run));
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString(StandardCharsets.UTF_8).contains("ready"));

        run.requestStop("TERM");

        assertThat(exit.get()).isEqualTo(137);
        assertThat(finished()).extracting(RunEvent.Finished::reason, RunEvent.Finished::signal)
                .containsExactly(StopReason.KILLED, 9);
    }

    @Test
    void sendsHeartbeatsWithProcessTreeUsage() throws Exception {
        AgentRun run = newRun(options("--run-id", "5", "--heartbeat-interval", "100ms", "--", "sh", "-c",
                "trap 'exit 0' TERM; while :; do sleep 0.05; done"));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> executeUnchecked(run));

        await().atMost(Duration.ofSeconds(10)).until(() -> reporter.events(RunEvent.Heartbeat.class).size() >= 2);
        run.requestStop("TERM");

        assertThat(exit.get()).isZero();
        RunEvent.Heartbeat second = reporter.events(RunEvent.Heartbeat.class).get(1);
        assertThat(second.processCount()).isPositive();
        assertThat(second.rssBytes()).isPositive();
        assertThat(second.cpuPercent()).isNotNull();
        assertThat(finished().reason()).isEqualTo(StopReason.TERMINATED);
    }

    @Test
    void keepsSendingHeartbeatsWhileTheArtifactsUploadAfterTheCommandExited() throws Exception {
        // an artifact store that answers only when the test says so: the upload outlasts the command by far
        CountDownLatch uploadStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer store = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        store.createContext("/", exchange -> {
            uploadStarted.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        store.start();
        try {
            Path output = Files.createDirectories(workDir.resolve("out"));
            Files.writeString(output.resolve("model.txt"), "weights");
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("REPRISE_ARTIFACTS_URL", "http://127.0.0.1:" + store.getAddress().getPort() + "/artifacts");
            env.put("REPRISE_OUTPUT_DIR", output.toString());
            AgentLog log = new AgentLog(new PrintStream(agentLog, true, StandardCharsets.UTF_8));
            AgentRun run = new AgentRun(options("--run-id", "5", "--heartbeat-interval", "100ms", "--", "true"), env,
                    out, err, log, reporter, "test-agent");
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> executeUnchecked(run));

            assertThat(uploadStarted.await(30, TimeUnit.SECONDS)).as("the upload started").isTrue();
            int beatsWhenTheUploadStarted = reporter.events(RunEvent.Heartbeat.class).size();
            await().atMost(Duration.ofSeconds(10)).until(() -> reporter.events(RunEvent.Heartbeat.class).size()
                    >= beatsWhenTheUploadStarted + 3);
            assertThat(reporter.events(RunEvent.Finished.class)).as("not finished while uploading").isEmpty();
            release.countDown();

            assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
            List<RunEvent> events = reporter.events();
            RunEvent last = events.get(events.size() - 1);
            assertThat(last).as("nothing follows the finished report").isInstanceOf(RunEvent.Finished.class);
            RunEvent.Heartbeat whileUploading = reporter.events(RunEvent.Heartbeat.class)
                    .get(beatsWhenTheUploadStarted + 1);
            assertThat(whileUploading.processCount()).as("the command has exited").isZero();
            assertThat(whileUploading.rssBytes()).isZero();
        } finally {
            release.countDown();
            store.stop(0);
        }
    }

    @Test
    void countsRejectedKeysInAMetricWarning() throws Exception {
        String longKey = "k".repeat(300);
        int code = execute(options("--run-id", "5", "--", "sh", "-c",
                "echo '{\"" + longKey + "\": 1, \"ok\": 2}'; echo '{\"" + longKey + "\": 3}'"));

        assertThat(code).isZero();
        assertThat(reporter.points()).extracting(MetricPoint::key).containsExactly("ok");
        assertThat(reporter.events(RunEvent.MetricWarning.class)).singleElement()
                .satisfies(w -> assertThat(w.count()).isEqualTo(2));
    }

    @Test
    void reportsThatDidNotFitTheBufferAreAWarningWithTheirCountOnTheRunNeverASilentGap() throws Exception {
        // a trial that floods its output: 3,000 log lines and 3,000 distinct metric keys, into a buffer that keeps two
        RecordingReporter full = new RecordingReporter(2);
        AgentLog log = new AgentLog(new PrintStream(agentLog, true, StandardCharsets.UTF_8));
        int code = new AgentRun(options("--run-id", "5", "--", "sh", "-c",
                "i=0; while [ $i -lt 3000 ]; do echo \"{\\\"key_$i\\\": $i}\"; i=$((i+1)); done"), System.getenv(),
                out, err, log, full, "test-agent").execute();

        assertThat(code).isZero();
        assertThat(full.dropped()).as("reports the buffer could not keep").isPositive();
        assertThat(full.events(RunEvent.MetricWarning.class))
                .filteredOn(w -> w.reason().equals(AgentRun.REPORTS_DROPPED)).singleElement()
                .satisfies(w -> assertThat(w.count()).isEqualTo(full.dropped()));
        // the warning is sent before the run's end, so the run shows it when it is reported finished
        List<RunEvent> events = full.events();
        assertThat(events.indexOf(full.events(RunEvent.MetricWarning.class).get(0)))
                .isLessThan(events.indexOf(full.events(RunEvent.Finished.class).get(0)));
    }

    @Test
    void reportsLoggedParamsFromTheMetricsFileAndTheOutputAsParamEvents() throws Exception {
        String script = String.join("\n",
                "echo '{\"params\": {\"lr\": \"0.001\", \"layers\": 4}}' >> \"$REPRISE_METRICS_FILE\"",
                "echo '{\"params\": {\"optimizer\": \"adam\", \"bad/../name\": \"x\"}, \"loss\": 0.5}'",
                "echo '{\"params\": {\"lr\": \"0.001\"}}'");

        int code = execute(options("--run-id", "7", "--", "sh", "-c", script));

        assertThat(code).isZero();
        List<RunEvent.ParamsLogged> logged = reporter.events(RunEvent.ParamsLogged.class);
        assertThat(logged).flatMap(e -> e.params().entrySet()).extracting(Map.Entry::getKey, Map.Entry::getValue)
                .containsExactlyInAnyOrder(tuple("lr", "0.001"), tuple("layers", "4"), tuple("optimizer", "adam"));
        assertThat(logged).allSatisfy(e -> assertThat(e.runId()).isEqualTo(7));
        assertThat(reporter.points()).extracting(MetricPoint::key).containsExactly("loss");
        assertThat(reporter.events(RunEvent.MetricWarning.class)).singleElement()
                .satisfies(w -> assertThat(w.example()).isEqualTo("bad/../name"));
        assertThat(reporter.events()).last().isInstanceOf(RunEvent.Finished.class);
    }

    private AgentOptions options(String... args) throws AgentOptions.UsageException {
        List<String> all = new ArrayList<>(List.of("--work-dir", workDir.toString()));
        all.addAll(List.of(args));
        return AgentOptions.parse(all, System.getenv());
    }

    private AgentRun newRun(AgentOptions options) {
        AgentLog log = new AgentLog(new PrintStream(agentLog, true, StandardCharsets.UTF_8));
        return new AgentRun(options, System.getenv(), out, err, log, reporter, "test-agent");
    }

    private int execute(AgentOptions options) throws InterruptedException {
        return newRun(options).execute();
    }

    private static int executeUnchecked(AgentRun run) {
        try {
            return run.execute();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private RunEvent.Finished finished() {
        return reporter.events(RunEvent.Finished.class).get(0);
    }
}
