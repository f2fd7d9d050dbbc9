package dev.reprise.orchestrator.execution.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The run lifecycle with real local processes, each wrapped by the real agent. */
@QuarkusTest
@TestProfile(LocalExecutorProfile.class)
class LocalExecutorLifecycleTest {

    private static int submit(String command, String parameters, int parallelism) {
        String yaml = "name: l-" + UUID.randomUUID().toString().substring(0, 12) + "\nimage: local\n"
                + "command: " + command + "\nmethod: grid\nqueue: local\nparallelism: " + parallelism + "\n"
                + "parameters:\n" + parameters;
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("id");
    }

    private static List<Map<String, Object>> runs(int sweepId) {
        return given().queryParam("size", 100).get("/api/v1/sweeps/{id}/runs", sweepId).then().statusCode(200)
                .extract().jsonPath().getList("items");
    }

    private static String status(int sweepId) {
        return given().get("/api/v1/sweeps/{id}", sweepId).then().extract().path("status");
    }

    @Test
    void runsTrialsToSuccessAndFailureWithTheirExitCodes() {
        int id = submit("[sh, -c, 'echo step=1 loss=0.5; exit ${params.code}']", "  code: {values: [0, 3]}\n", 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> runs(id).stream().allMatch(r ->
                List.of("SUCCEEDED", "FAILED").contains(r.get("state"))));
        List<Map<String, Object>> runs = runs(id);
        assertThat(runs.get(0)).containsEntry("state", "SUCCEEDED").containsEntry("exitCode", 0);
        assertThat(runs.get(1)).containsEntry("state", "FAILED").containsEntry("exitCode", 3)
                .containsEntry("failureCause", "USER_ERROR");
        @SuppressWarnings("unchecked")
        Map<String, Object> provenance = (Map<String, Object>) runs.get(0).get("provenance");
        assertThat((String) provenance.get("nodeName")).startsWith("local");
        await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCEEDED".equals(status(id)));
        Path log = Path.of(LocalExecutorProfile.WORK_DIR, runs.get(0).get("id") + "-0", "output.log");
        assertThat(log).content().contains("step=1 loss=0.5");
    }

    @Test
    void passesParametersAndReprisesEnvironmentToTheProcess() {
        int id = submit("[sh, -c, 'echo \"$REPRISE_PARAMS|$REPRISE_RUN_ID|${params.word}\"']",
                "  word: {value: hello}\n", 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(status(id)));
        Object runId = runs(id).get(0).get("id");
        Path log = Path.of(LocalExecutorProfile.WORK_DIR, runId + "-0", "output.log");
        assertThat(log).content().contains("{\"word\":\"hello\"}|" + runId + "|hello");
    }

    @Test
    void cancellingASweepStopsItsRunningProcesses() {
        int id = submit("[sh, -c, 'echo $$ > \"$REPRISE_OUTPUT_DIR/pid\"; exec sleep 300']",
                "  i: {values: [1, 2]}\n", 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> runs(id).stream().allMatch(r ->
                "RUNNING".equals(r.get("state")) && Files.exists(pidFile(r))));
        List<Long> pids = runs(id).stream().map(r -> readPid(pidFile(r))).toList();
        assertThat(pids).allMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false));
        given().post("/api/v1/sweeps/{id}/cancel", id).then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> pids.stream().noneMatch(p ->
                ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)));
        assertThat(runs(id)).extracting(r -> r.get("state")).containsOnly("CANCELLED");
    }

    private static Path pidFile(Map<String, Object> run) {
        return Path.of(LocalExecutorProfile.WORK_DIR, run.get("id") + "-" + run.get("attempt"), "output", "pid");
    }

    private static long readPid(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aNewInstanceAdoptsTrialsStillRunningAndReportsTrialsThatEnded() throws Exception {
        int id = submit("[sh, -c, 'exec sleep 300']", "  i: {values: [1]}\n", 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING".equals(runs(id).get(0).get("state")));
        long runId = ((Number) runs(id).get(0).get("id")).longValue();
        LocalExecutor restarted = new LocalExecutor(new TestConfig());
        List<dev.reprise.orchestrator.execution.TrialObservation> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        restarted.start(seen::add);
        assertThat(restarted.list()).extracting(t -> t.runId() + "/" + t.attempt()).contains(runId + "/0");
        restarted.stop(runId, 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> restarted.list().stream()
                .noneMatch(t -> t.runId() == runId));
        // the trial ended while the original instance was watching too; it reports the failure (signal exit)
        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(runs(id).get(0).get("state"))
                || ((Number) runs(id).get(0).get("attempt")).intValue() > 0);
    }

    /** The profile's settings, for an executor instance made outside CDI. */
    private static final class TestConfig implements LocalExecutorConfig {
        public String workDir() {
            return LocalExecutorProfile.WORK_DIR;
        }

        public Optional<String> agentJar() {
            return Optional.of("../agent/target/reprise-agent.jar");
        }

        public Optional<String> trialDir() {
            return Optional.of("..");
        }

        public Duration killAfter() {
            return Duration.ofSeconds(5);
        }

        public Duration gracePeriod() {
            return Duration.ofSeconds(2);
        }

        public Duration heartbeatInterval() {
            return Duration.ofSeconds(10);
        }
    }
}
