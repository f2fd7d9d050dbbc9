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
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What is particular to the local executor, in the test JVM: exit codes, the attempt's directory and output log,
 * the environment the process gets. The lifecycle every executor shares (states, parallelism, cancellation, restarts
 * at random moments) is {@link dev.reprise.orchestrator.execution.ExecutorLifecycleContract}, run for this executor
 * by {@link LocalExecutorLifecycleIT}.
 */
@QuarkusTest
@TestProfile(LocalExecutorProfile.class)
class LocalExecutorProcessTest {

    private static int submit(String command, String parameters, int parallelism) {
        return submit(command, parameters, parallelism, "");
    }

    private static int submit(String command, String parameters, int parallelism, String more) {
        String yaml = "name: l-" + UUID.randomUUID().toString().substring(0, 12) + "\nimage: local\n"
                + "command: " + command + "\nmethod: grid\nqueue: local\nparallelism: " + parallelism + "\n"
                + more + "parameters:\n" + parameters;
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
    void keepsEachAttemptsOutputLogAndRecordsTheLocalNode() {
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
    void aTrialOverItsTimeLimitHasItsWholeProcessTreeKilledAndFailsWithTheTimeLimitCause() throws Exception {
        // the trainer starts a child in the background (which ignores SIGTERM's fate of its parent) and waits
        int id = submit("[sh, -c, 'sleep 600 & echo $! > \"$REPRISE_OUTPUT_DIR/child.pid\"; echo step=1 loss=0.5; wait']",
                "  x: {value: 1}\n", 1, "resources: {timeLimit: 20s}\n");
        await().atMost(Duration.ofSeconds(90)).until(() -> "FAILED".equals(runs(id).get(0).get("state")));
        Map<String, Object> run = runs(id).get(0);
        assertThat(run).containsEntry("failureCause", "TIME_LIMIT");
        assertThat((String) run.get("message")).contains("time limit");
        Path pidFile = Path.of(LocalExecutorProfile.WORK_DIR, run.get("id") + "-0", "output", "child.pid");
        long child = Long.parseLong(java.nio.file.Files.readString(pidFile).strip());
        await("the background child is killed too").atMost(Duration.ofSeconds(60))
                .until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
        // not retried: the time limit is the trial's, another attempt would only hit it again
        assertThat(run).containsEntry("attempt", 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> "FAILED".equals(status(id)));
    }
}
