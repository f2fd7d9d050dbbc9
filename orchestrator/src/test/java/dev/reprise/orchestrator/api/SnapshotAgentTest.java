package dev.reprise.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.agent.AgentLog;
import dev.reprise.agent.AgentOptions;
import dev.reprise.agent.AgentRun;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.StopReason;
import dev.reprise.orchestrator.storage.ObjectStore;
import dev.reprise.orchestrator.storage.snapshots.SnapshotLaunchEnv;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real agent materialises a snapshot from the real orchestrator and S3 server before the training command. */
@QuarkusTest
class SnapshotAgentTest {

    @TestHTTPResource("/")
    URL server;

    @Inject
    ObjectStore store;

    @Inject
    SnapshotLaunchEnv launchEnv;

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream agentLog = new ByteArrayOutputStream();
    private final DataSnapshots.RecordingReporter reporter = new DataSnapshots.RecordingReporter();

    @Test
    void materialisesThePushedSnapshotBeforeTheTrainingCommandReadsIt() throws Exception {
        Map<String, String> files = DataSnapshots.uniqueFiles("train/x.csv", "train/y.csv");
        String id = DataSnapshots.push(DataSnapshots.uniqueName(), null, files);

        int exit = agent(id, "sh", "-c", "cat \"$REPRISE_DATA_DIR/train/y.csv\"");

        assertThat(exit).as(log()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(files.get("train/y.csv"));
        assertThat(tmp.resolve("data/train/x.csv")).hasContent(files.get("train/x.csv"));
    }

    @Test
    void detectsACorruptedBlobBeforeTrainingStarts() throws Exception {
        Map<String, String> files = DataSnapshots.uniqueFiles("weights.bin", "labels.txt");
        String id = DataSnapshots.push(DataSnapshots.uniqueName(), null, files);
        String good = files.get("weights.bin");
        DataSnapshots.overwriteBlob(store, DataSnapshots.sha(good), DataSnapshots.bytes(good.replace('c', 'k')));
        Path marker = tmp.resolve("training-started");

        int exit = agent(id, "touch", marker.toString());

        assertThat(exit).isEqualTo(65);
        assertThat(marker).doesNotExist();
        assertThat(reporter.events()).singleElement().isInstanceOfSatisfying(RunEvent.Finished.class, f -> {
            assertThat(f.reason()).isEqualTo(StopReason.AGENT_ERROR);
            assertThat(f.message()).contains("data snapshot " + id + " does not verify, so the command was not "
                    + "started: blob sha256:" + DataSnapshots.sha(good) + " of 'weights.bin' is corrupt in the store: "
                    + "its content hashes to sha256:");
        });
    }

    @Test
    void pointsTrialsAtTheDownloadEndpointOfTheirSnapshot() {
        String id = "sha256:" + "1".repeat(64);

        assertThat(launchEnv.env(id, "/data").toEnv()).containsEntry("REPRISE_DATA_DIR", "/data")
                .containsEntry("REPRISE_DATA_SNAPSHOT", id)
                .hasEntrySatisfying("REPRISE_DATA_URL", url -> assertThat(url)
                        .matches("http://127\\.0\\.0\\.1:\\d+/api/v1/snapshots/" + id + "/download"));
    }

    private int agent(String snapshotId, String... command) throws Exception {
        String url = server.toString().replaceAll("/$", "") + "/api/v1/snapshots/" + snapshotId + "/download";
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("REPRISE_DATA_URL", url);
        env.put("REPRISE_DATA_SNAPSHOT", snapshotId);
        env.put("REPRISE_DATA_DIR", tmp.resolve("data").toString());
        // run 1 is no real run: the admin token stands in for a run token (SecurityRunTokenTest covers those)
        env.put("REPRISE_RUN_TOKEN", dev.reprise.orchestrator.security.TestCredentials.ADMIN_TOKEN);
        List<String> args = new ArrayList<>(List.of("--run-id", "1", "--work-dir", tmp.resolve("work").toString(),
                "--no-logs", "--"));
        args.addAll(List.of(command));
        AgentRun run = new AgentRun(AgentOptions.parse(args, env), env, out, new ByteArrayOutputStream(),
                new AgentLog(new PrintStream(agentLog, true, StandardCharsets.UTF_8)), reporter, "test");
        return run.execute();
    }

    private String log() {
        return agentLog.toString(StandardCharsets.UTF_8);
    }
}
