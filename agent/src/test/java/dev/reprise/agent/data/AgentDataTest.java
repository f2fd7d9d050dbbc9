package dev.reprise.agent.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.agent.AgentLog;
import dev.reprise.agent.AgentOptions;
import dev.reprise.agent.AgentRun;
import dev.reprise.agent.report.Reporter;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.StopReason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent materialises a run's data snapshot before its command, and refuses to start it on bad data. */
class AgentDataTest {

    @TempDir
    Path tmp;

    private final TestingSnapshotServer store = new TestingSnapshotServer()
            .file("train/digits.csv", "0,1,2\n3,4,5\n", 0644)
            .file("bin/prepare.sh", "#!/bin/sh\n", 0755);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream agentLog = new ByteArrayOutputStream();
    private final Events events = new Events();

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void materialisesTheSnapshotBeforeTheCommandStartsAndTellsTheCommandWhere() throws Exception {
        Path data = tmp.resolve("data");

        int code = run(Map.of("REPRISE_DATA_URL", store.downloadUrl().toString(), "REPRISE_DATA_DIR",
                data.toString()), "sh", "-c",
                "cat \"$REPRISE_DATA_DIR/train/digits.csv\"; echo \"$REPRISE_DATA_SNAPSHOT\"")
                .execute();

        assertThat(code).as(log()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("0,1,2\n3,4,5\n" + store.id() + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("bin/prepare.sh"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(log()).contains("data: " + store.id() + " ready in " + data + " (2 files");
        assertThat(events.all().get(0)).isInstanceOf(RunEvent.Started.class);
    }

    @Test
    void failsWith65AndAClearMessageBeforeTheCommandStartsWhenABlobIsCorrupt() throws Exception {
        store.corrupt("train/digits.csv", "9,9,9\n9,9,9\n");
        Path marker = tmp.resolve("training-started");

        int code = run(Map.of("REPRISE_DATA_URL", store.downloadUrl().toString(), "REPRISE_DATA_DIR",
                tmp.resolve("data").toString()), "touch", marker.toString()).execute();

        assertThat(code).isEqualTo(DataStage.EXIT_DATA_INVALID);
        assertThat(marker).doesNotExist();
        assertThat(events.all()).singleElement().isInstanceOfSatisfying(RunEvent.Finished.class, f -> {
            assertThat(f.reason()).isEqualTo(StopReason.AGENT_ERROR);
            assertThat(f.exitCode()).isEqualTo(65);
            assertThat(f.message()).startsWith("data snapshot " + store.id() + " does not verify, so the command "
                    + "was not started: blob sha256:").contains("of 'train/digits.csv' is corrupt in the store");
        });
        assertThat(log()).contains("does not verify").contains("AGENT_ERROR (exit 65)");
    }

    @Test
    void failsWith65WhenABlobIsMissingFromTheStore() throws Exception {
        store.remove("bin/prepare.sh");

        int code = run(Map.of("REPRISE_DATA_URL", store.downloadUrl().toString(), "REPRISE_DATA_DIR",
                tmp.resolve("data").toString()), "true").execute();

        assertThat(code).isEqualTo(65);
        assertThat(events.finished().message()).contains("of 'bin/prepare.sh' (10 bytes) is missing from the store");
    }

    @Test
    void failsWith69WhenTheOrchestratorCannotBeReached() throws Exception {
        int code = run(Map.of("REPRISE_DATA_URL", "http://127.0.0.1:9/api/v1/snapshots/" + store.id() + "/download",
                "REPRISE_DATA_DIR", tmp.resolve("data").toString()), "true").execute();

        assertThat(code).isEqualTo(DataStage.EXIT_DATA_UNAVAILABLE);
        assertThat(events.finished().reason()).isEqualTo(StopReason.AGENT_ERROR);
        assertThat(events.finished().message()).startsWith("cannot materialise data snapshot " + store.id());
    }

    @Test
    void reusesTheCacheOnTheNextRunOfTheSameSnapshot() throws Exception {
        Map<String, String> env = Map.of("REPRISE_DATA_URL", store.downloadUrl().toString(),
                "REPRISE_DATA_DIR", tmp.resolve("first").toString(), "REPRISE_DATA_CACHE", tmp.resolve("cache")
                        .toString());
        assertThat(run(env, "true").execute()).isZero();
        store.remove("train/digits.csv");
        Map<String, String> second = new HashMap<>(env);
        second.put("REPRISE_DATA_DIR", tmp.resolve("second").toString());

        int code = run(second, "cat", tmp.resolve("second/train/digits.csv").toString()).execute();

        assertThat(code).as(log()).isZero();
        assertThat(log()).contains("from cache 2");
    }

    @Test
    void stopsWithoutStartingTheCommandWhenSignalledDuringTheDownload() throws Exception {
        store.holdBlobs();
        Path marker = tmp.resolve("training-started");
        AgentRun agent = run(Map.of("REPRISE_DATA_URL", store.downloadUrl().toString(), "REPRISE_DATA_DIR",
                tmp.resolve("data").toString()), "touch", marker.toString());
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return agent.execute();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(tmp.resolve("data")));

        agent.requestStop("TERM");

        assertThat(exit.get()).isEqualTo(143);
        assertThat(marker).doesNotExist();
        assertThat(events.finished().reason()).isEqualTo(StopReason.TERMINATED);
    }

    private AgentRun run(Map<String, String> extraEnv, String... command) throws AgentOptions.UsageException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(extraEnv);
        List<String> args = new ArrayList<>(List.of("--run-id", "7", "--work-dir", tmp.resolve("work").toString(),
                "--"));
        args.addAll(List.of(command));
        AgentOptions options = AgentOptions.parse(args, env);
        AgentLog log = new AgentLog(new PrintStream(agentLog, true, StandardCharsets.UTF_8));
        return new AgentRun(options, env, out, new ByteArrayOutputStream(), log, events, "test-agent");
    }

    private String log() {
        return agentLog.toString(StandardCharsets.UTF_8);
    }

    /** Keeps the events an agent run reports. */
    private static final class Events implements Reporter {
        private final List<RunEvent> events = new ArrayList<>();

        @Override
        public synchronized void metrics(MetricBatch batch) {
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

        synchronized List<RunEvent> all() {
            return List.copyOf(events);
        }

        synchronized RunEvent.Finished finished() {
            return events.stream().filter(RunEvent.Finished.class::isInstance).map(RunEvent.Finished.class::cast)
                    .findFirst().orElseThrow();
        }
    }
}
