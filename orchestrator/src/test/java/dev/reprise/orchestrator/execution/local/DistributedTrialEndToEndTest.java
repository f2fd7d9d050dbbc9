package dev.reprise.orchestrator.execution.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The distributed example, end to end on real processes: examples/ddp-linear-2nodes.yaml ({@code resources.nodes: 2})
 * runs examples/trainers/ddp_linear.py with PyTorch (gloo on CPU) as two local processes per trial, each under its
 * own agent. torch.distributed really all-reduces the gradients: both ranks print the same all-reduced norm every
 * epoch, and the run's metrics are rank 0's. Also: one rank failing ends the attempt for both, naming the rank.
 */
@QuarkusTest
@TestProfile(DistributedTrialEndToEndTest.Profile.class)
class DistributedTrialEndToEndTest {

    @jakarta.inject.Inject
    dev.reprise.orchestrator.messaging.StoredPoints stored;

    private static final Pattern NORM = Pattern.compile("\\[rank (\\d)] epoch (\\d+): all-reduced gradient norm (\\S+)");
    private static final Pattern LOSS = Pattern.compile("^step=(\\d+) loss=(\\S+)$", Pattern.MULTILINE);
    private static final int EPOCHS = 6;

    /**
     * The local executor's profile, with a heartbeat timeout that two PyTorch processes starting (and their agents
     * flushing) on a loaded 2-core machine cannot miss by accident.
     */
    public static class Profile extends LocalExecutorProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new java.util.HashMap<>(super.getConfigOverrides());
            overrides.put("reprise.ingest.heartbeat-timeout", "180s");
            return overrides;
        }
    }

    private static int submit(String yaml) {
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("id");
    }

    /** The example as it is, on the venv's python, in this profile's open queue and under a fresh name. */
    private static String example(Path python) throws IOException {
        String yaml = Files.readString(Path.of("..", "examples", "ddp-linear-2nodes.yaml"));
        assertThat(yaml).contains("command: [python3, ").contains("nodes: 2").contains("value: " + EPOCHS);
        return yaml.replace("command: [python3, ", "command: [" + python + ", ")
                .replace("name: ddp-linear", "name: ddp-" + UUID.randomUUID().toString().substring(0, 8))
                + "queue: local\n";
    }

    private static List<Map<String, Object>> runs(int sweepId) {
        return given().queryParam("size", 100).get("/api/v1/sweeps/{id}/runs", sweepId).then().statusCode(200)
                .extract().jsonPath().getList("items");
    }

    /** Epoch → all-reduced norm, as one rank printed them. */
    private static Map<Integer, String> norms(String log, int rank) {
        Map<Integer, String> norms = new TreeMap<>();
        Matcher m = NORM.matcher(log);
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) == rank) {
                norms.put(Integer.parseInt(m.group(2)), m.group(3));
            }
        }
        return norms;
    }

    private static String shippedLog(long runId) {
        return shippedLog(runId, 0);
    }

    /** The lines rank {@code rank}'s agent shipped, as the API serves them by rank. */
    private static String shippedLog(long runId, int rank) {
        List<String> lines = given().queryParam("size", 500).queryParam("rank", rank)
                .get("/api/v1/runs/{id}/logs", runId).then().statusCode(200).extract().jsonPath()
                .getList("items.text", String.class);
        return String.join("\n", lines);
    }

    private static List<Map<String, Object>> ranks(long runId) {
        List<Map<String, Object>> ranks = given().get("/api/v1/runs/{id}", runId).then().statusCode(200).extract()
                .jsonPath().getList("ranks");
        return ranks == null ? List.of() : ranks;
    }

    @Test
    void runsTheTwoNodePyTorchExampleWithGradientsAllReducedAcrossRanksAndRankZerosObjective() throws Exception {
        Path python = TorchVenv.python();
        int sweep = submit(example(python));
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2)).until(() -> runs(sweep).stream()
                .allMatch(r -> List.of("SUCCEEDED", "FAILED").contains(r.get("state"))));
        List<Map<String, Object>> runs = runs(sweep);
        assertThat(runs).hasSize(2).allSatisfy(r -> assertThat(r).as("run %s", r.get("id"))
                .containsEntry("state", "SUCCEEDED"));
        for (Map<String, Object> run : runs) {
            long id = ((Number) run.get("id")).longValue();
            Path attemptDir = Path.of(LocalExecutorProfile.WORK_DIR, id + "-0");
            String rank0 = Files.readString(attemptDir.resolve("output.log"));
            String rank1 = Files.readString(attemptDir.resolve("rank-1").resolve("output.log"));
            assertThat(rank0).contains("rank 0 of 2 up (node rank 0, master 127.0.0.1:");
            assertThat(rank1).contains("rank 1 of 2 up (node rank 1, master 127.0.0.1:");

            Map<Integer, String> norms0 = norms(rank0, 0);
            assertThat(norms0).as("rank 0's all-reduced norms").hasSize(EPOCHS);
            assertThat(norms(rank1, 1)).as("rank 1's all-reduced norms").isEqualTo(norms0);

            // the run's metrics are rank 0's: every loss it printed, and only rank 0 printed any
            Matcher loss = LOSS.matcher(rank0);
            String lastLoss = null;
            int losses = 0;
            while (loss.find()) {
                lastLoss = loss.group(2);
                losses++;
            }
            assertThat(losses).isEqualTo(EPOCHS);
            assertThat(LOSS.matcher(rank1).find()).isFalse();
            double expected = Double.parseDouble(lastLoss);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<Map<String, Object>> keys = given().get("/api/v1/runs/{id}/metrics", id).then().statusCode(200)
                        .extract().jsonPath().getList("keys");
                assertThat(keys).filteredOn(k -> "loss".equals(k.get("key"))).singleElement().satisfies(k -> {
                    assertThat(((Number) k.get("points")).intValue()).isEqualTo(EPOCHS);
                    // stored as a double, served as JSON and read back here as a float: compare at float precision
                    assertThat(((Number) k.get("last")).doubleValue()).isCloseTo(expected, within(1e-6));
                });
                assertThat(shippedLog(id)).contains("[rank 0] epoch " + EPOCHS + ": all-reduced gradient norm "
                        + norms0.get(EPOCHS)).doesNotContain("[rank 1]");
                // rank 1's agent shipped its own lines, stored and served under its rank
                assertThat(norms(shippedLog(id, 1), 1)).as("rank 1's norms as shipped").isEqualTo(norms0);
                assertThat(shippedLog(id, 1)).doesNotContain("[rank 0]");
                assertThat(ranks(id)).extracting(r -> r.get("rank"), r -> r.get("state"), r -> r.get("exitCode"))
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(0, "EXITED", 0),
                                org.assertj.core.groups.Tuple.tuple(1, "EXITED", 0));
                assertThat(ranks(id)).allSatisfy(r -> assertThat(r.get("hostname")).isNotNull());
            });
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(
                given().get("/api/v1/sweeps/{id}", sweep).then().extract().path("status")));
    }

    @Test
    void oneRankFailingEndsTheAttemptForAllRanksAndNamesTheRank() throws Exception {
        // rank 1 fails at once; rank 0 would wait for an hour: it is stopped, and the failure names rank 1
        int sweep = submit("name: ddp-fail-" + UUID.randomUUID().toString().substring(0, 8) + "\nimage: local\n"
                + "command: [sh, -c, 'if [ \"$NODE_RANK\" = 1 ]; then echo rank 1 gives up; exit 3; fi; "
                + "echo rank $RANK of $WORLD_SIZE waits; exec sleep 3600']\n"
                + "resources: {nodes: 2}\nmethod: grid\nqueue: local\nmax_failed_trials: 1\n"
                + "parameters:\n  x: {value: 1}\n");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> runs(sweep).stream()
                .allMatch(r -> "FAILED".equals(r.get("state"))));
        Map<String, Object> run = runs(sweep).get(0);
        assertThat(run).containsEntry("exitCode", 3).containsEntry("failureCause", "USER_ERROR");
        assertThat((String) run.get("message")).contains("rank 1 of 2 on node ")
                .contains("exited with code 3 first; the other ranks were stopped");
        Path attemptDir = Path.of(LocalExecutorProfile.WORK_DIR, run.get("id") + "-0");
        assertThat(attemptDir.resolve("rank-1").resolve("output.log")).content().contains("rank 1 gives up");
        long id = ((Number) run.get("id")).longValue();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(shippedLog(id, 1)).contains("rank 1 gives up");
            assertThat(ranks(id)).filteredOn(r -> Integer.valueOf(1).equals(r.get("rank"))).singleElement()
                    .satisfies(r -> assertThat(r).containsEntry("state", "EXITED").containsEntry("exitCode", 3));
        });
        // rank 0 was stopped, not left to wait for an hour: its wrapper recorded the exit of its stopped agent
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(attemptDir.resolve("exit-code")));
        assertThat(Files.readString(attemptDir.resolve("exit-code")).trim()).isNotEqualTo("0");
    }

    @Test
    void aRankWhoseAgentStopsHeartbeatingIsNamedAndEveryRankIsStopped() throws Exception {
        int sweep = submit("name: ddp-silent-" + UUID.randomUUID().toString().substring(0, 8) + "\nimage: local\n"
                + "command: [sh, -c, 'echo rank $NODE_RANK of $WORLD_SIZE up; exec sleep 3600']\n"
                + "resources: {nodes: 2}\nmethod: grid\nqueue: local\n"
                + "parameters:\n  x: {value: 1}\n");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> runs(sweep).size() == 1
                && ranks(((Number) runs(sweep).get(0).get("id")).longValue()).stream()
                        .filter(r -> r.get("lastHeartbeatAt") != null).count() == 2);
        long id = ((Number) runs(sweep).get(0).get("id")).longValue();
        Path attemptDir = Path.of(LocalExecutorProfile.WORK_DIR, id + "-0");
        // rank 1's agent freezes (its node hangs): its heartbeats stop while its command and rank 0 go on
        String rank1Tmp = id + "-0/rank-1/tmp";
        ProcessHandle agent1 = ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                .map(a -> java.util.Arrays.stream(a).anyMatch(x -> x.startsWith("-Djava.io.tmpdir=")
                        && x.endsWith(rank1Tmp))).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("rank 1's agent is not running"));
        signal("STOP", agent1.pid());
        try {
            // the heartbeat timeout is minutes in this profile: date the frozen rank's last sighting back instead
            stored.execute("update rank_reports set last_seen_at = now() - interval '1 hour' where run_id = ?"
                    + " and rank = 1", id);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    "LOST".equals(runs(sweep).get(0).get("state")));
            Map<String, Object> run = runs(sweep).get(0);
            assertThat((String) run.get("message")).startsWith("rank 1 (host ")
                    .contains("no heartbeat from its agent for more than 180 s")
                    .endsWith("the other ranks were stopped");
            assertThat(run).containsEntry("failureCause", "INFRASTRUCTURE");
            // rank 0 was stopped too, not left to train alone: its wrapper recorded the exit of its stopped agent
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(attemptDir.resolve("exit-code")));
        } finally {
            if (agent1.isAlive()) {
                signal("CONT", agent1.pid());
            }
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> !agent1.isAlive());
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
    }
}
