package dev.reprise.orchestrator.scheduling;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.domain.run.FailureCause;
import dev.reprise.orchestrator.execution.LaunchException;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The scheduler and run lifecycle end to end, with a hand-written executor standing in for the backend. */
@QuarkusTest
class SchedulingTest {

    @Inject
    TestingExecutor executor;

    @Inject
    Scheduler scheduler;

    static int submit(String extra, int trials, int parallelism) {
        return submit(newName(), extra, trials, parallelism);
    }

    static String newName() {
        return "s-" + UUID.randomUUID().toString().substring(0, 12);
    }

    static int submit(String name, String extra, int trials, int parallelism) {
        String yaml = "name: " + name + "\nimage: python:3.12-slim\n"
                + "program: train.py\nmethod: grid\nqueue: lifecycle\nparallelism: " + parallelism + "\n"
                + "parameters:\n  i:\n    min: 1\n    max: " + trials + "\n" + extra;
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("id");
    }

    static List<Map<String, Object>> runs(int sweepId) {
        // numbers as doubles: the default (float) would round parameters
        return given().queryParam("size", 500).get("/api/v1/sweeps/{id}/runs", sweepId).then().statusCode(200)
                .extract().jsonPath(io.restassured.path.json.config.JsonPathConfig.jsonPathConfig()
                        .numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE))
                .getList("items");
    }

    static String sweepStatus(int sweepId) {
        return given().get("/api/v1/sweeps/{id}", sweepId).then().extract().path("status");
    }

    static List<Object> states(int sweepId) {
        return runs(sweepId).stream().map(r -> r.get("state")).toList();
    }

    private void finishAll(int sweepId) {
        for (TrialLaunch l : executor.presentOf(sweepId)) {
            executor.report(new TrialObservation.Succeeded(l.runId(), l.attempt(), Instant.now(), 0));
        }
    }

    @Test
    void launchesNoMoreThanParallelismAndTheRestAsSlotsFree() {
        int id = submit("", 5, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).size() == 2);
        assertThat(executor.launchesOf(id)).extracting(TrialLaunch::index).containsExactly(0, 1);
        SchedulerRounds.awaitThreeMore(scheduler);
        assertThat(executor.launchesOf(id)).as("no third launch while two run").hasSize(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            finishAll(id);
            return "SUCCEEDED".equals(sweepStatus(id));
        });
        assertThat(executor.launchesOf(id)).hasSize(5);
        assertThat(states(id)).containsOnly("SUCCEEDED");
    }

    @Test
    void passesTheRenderedCommandAndReprisesEnvironmentToTheExecutor() {
        int id = submit("env: {MODE: fast}\n", 1, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).size() == 1);
        TrialLaunch launch = executor.launchesOf(id).get(0);
        assertThat(launch.argv()).containsExactly("python", "train.py", "--i=1");
        assertThat(launch.env()).containsEntry("MODE", "fast").containsEntry("REPRISE_PARAMS", "{\"i\":1}")
                .containsEntry("REPRISE_ATTEMPT", "0").containsKey("REPRISE_SEED")
                .containsEntry("REPRISE_RUN_ID", String.valueOf(launch.runId()));
        assertThat(launch.configHash()).matches("[0-9a-f]{64}");
        assertThat(launch.queue()).isEqualTo("lifecycle");
    }

    @Test
    void followsRunsThroughRunningIntoSucceededWithNodeAndDigest() {
        int id = submit("", 1, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).size() == 1);
        TrialLaunch l = executor.presentOf(id).get(0);
        executor.report(new TrialObservation.Running(l.runId(), 0, Instant.now(), "node-7", "sha256:abc"));
        await().atMost(Duration.ofSeconds(5)).until(() -> states(id).equals(List.of("RUNNING")));
        assertThat(sweepStatus(id)).isEqualTo("RUNNING");
        executor.report(new TrialObservation.Succeeded(l.runId(), 0, Instant.now(), 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> "SUCCEEDED".equals(sweepStatus(id)));
        Map<String, Object> run = runs(id).get(0);
        assertThat(run).containsEntry("state", "SUCCEEDED").containsEntry("exitCode", 0);
        @SuppressWarnings("unchecked")
        Map<String, Object> provenance = (Map<String, Object>) run.get("provenance");
        assertThat(provenance).containsEntry("nodeName", "node-7").containsEntry("imageDigest", "sha256:abc");
    }

    @Test
    void requeuesAPreemptedTrialAsANewAttemptWithoutUsingTheFailureBudget() {
        int id = submit("max_failed_trials: 0\n", 1, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).size() == 1);
        TrialLaunch first = executor.presentOf(id).get(0);
        executor.report(new TrialObservation.Preempted(first.runId(), 0, Instant.now(), "node drained"));
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).stream()
                .anyMatch(l -> l.attempt() == 1));
        executor.report(new TrialObservation.Succeeded(first.runId(), 1, Instant.now(), 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> "SUCCEEDED".equals(sweepStatus(id)));
        assertThat(runs(id).get(0)).containsEntry("attempt", 1).containsEntry("state", "SUCCEEDED");
    }

    @Test
    void aRunPreemptedMoreOftenThanTheCapFailsWithCausePreemptedAndSaysSo() {
        int id = submit("", 1, 1);
        // the default cap: 5 preemptions are requeued, the 6th fails the run
        for (int attempt = 0; attempt <= 5; attempt++) {
            int a = attempt;
            await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).stream()
                    .anyMatch(l -> l.attempt() == a));
            long runId = executor.presentOf(id).get(0).runId();
            executor.report(new TrialObservation.Preempted(runId, attempt, Instant.now(), "pod deleted " + attempt));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "FAILED".equals(runs(id).get(0).get("state")));
        assertThat(runs(id).get(0)).containsEntry("attempt", 5).containsEntry("failureCause", "PREEMPTED")
                .containsEntry("message", "preempted 6 times, more than reprise.scheduler.max-preemptions (5)"
                        + " allows; last: pod deleted 5");
    }

    @Test
    void failsTheSweepWhenUserFailuresExceedTheBudgetAndStopsTheRest() {
        int id = submit("max_failed_trials: 1\n", 6, 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).size() == 3);
        List<TrialLaunch> three = executor.presentOf(id);
        executor.report(new TrialObservation.Failed(three.get(0).runId(), 0, Instant.now(), FailureCause.USER_ERROR,
                1, "exit 1"));
        executor.report(new TrialObservation.Failed(three.get(1).runId(), 0, Instant.now(), FailureCause.OOM_KILLED,
                137, "OOMKilled"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "FAILED".equals(sweepStatus(id)));
        assertThat(states(id)).filteredOn("FAILED"::equals).hasSize(2);
        assertThat(states(id)).filteredOn("CANCELLED"::equals).hasSize(4);
        await().atMost(Duration.ofSeconds(5)).until(() -> executor.sweepStopped(id));
    }

    @Test
    void retriesInfrastructureFailuresButNotUserErrors() {
        int id = submit("", 2, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).size() == 2);
        List<TrialLaunch> two = executor.presentOf(id);
        executor.report(new TrialObservation.Failed(two.get(0).runId(), 0, Instant.now(),
                FailureCause.INFRASTRUCTURE, null, "node lost"));
        executor.report(new TrialObservation.Failed(two.get(1).runId(), 0, Instant.now(), FailureCause.USER_ERROR,
                2, "exit 2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).stream()
                .anyMatch(l -> l.runId() == two.get(0).runId() && l.attempt() == 1));
        Map<String, Object> failed = runs(id).stream().filter(r -> ((Number) r.get("id")).longValue()
                == two.get(1).runId()).findFirst().orElseThrow();
        assertThat(failed).containsEntry("state", "FAILED").containsEntry("failureCause", "USER_ERROR")
                .containsEntry("exitCode", 2).containsEntry("attempt", 0);
    }

    @Test
    void retriesARetryableLaunchErrorWithBackoff() {
        String name = newName();
        executor.failNextLaunch(name, new LaunchException("API server answered 503", true, null));
        int id = submit(name, "", 1, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).size() == 1);
        assertThat(executor.launchesOf(id)).singleElement().extracting(TrialLaunch::attempt).isEqualTo(0);
        assertThat(runs(id).get(0)).containsEntry("state", "LAUNCHING")
                .containsEntry("message", "API server answered 503");
    }

    @Test
    void failsARunWhoseLaunchCannotWorkAfterItsRetries() {
        // three retries (reprise.scheduler.retries.LAUNCH_ERROR defaults to 3), then FAILED
        String name = newName();
        executor.failEveryLaunch(name, new LaunchException("jobs.batch is forbidden", false, null));
        int id = submit(name, "", 1, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> "FAILED".equals(sweepStatus(id)));
        assertThat(runs(id).get(0)).containsEntry("failureCause", "LAUNCH_ERROR").containsEntry("attempt", 3)
                .containsEntry("message", "jobs.batch is forbidden");
        assertThat(executor.presentOf(id)).isEmpty();
    }

    @Test
    void stopsTheTrialsOfACancelledSweep() {
        int id = submit("", 4, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).size() == 2);
        given().post("/api/v1/sweeps/{id}/cancel", id).then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> executor.sweepStopped(id));
        assertThat(states(id)).containsOnly("CANCELLED");
        SchedulerRounds.awaitThreeMore(scheduler);
        assertThat(executor.launchesOf(id)).as("nothing launched after the cancel").hasSize(2);
    }

    @Test
    void ignoresObservationsOfOlderAttemptsAndFinishedRuns() {
        int id = submit("", 1, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).size() == 1);
        long runId = executor.presentOf(id).get(0).runId();
        executor.report(new TrialObservation.Succeeded(runId, 0, Instant.now(), 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> "SUCCEEDED".equals(sweepStatus(id)));
        executor.report(new TrialObservation.Failed(runId, 0, Instant.now(), FailureCause.USER_ERROR, 1, "late"));
        executor.report(new TrialObservation.Running(runId, 7, Instant.now(), "n", null));
        assertThat(runs(id).get(0)).containsEntry("state", "SUCCEEDED").containsEntry("attempt", 0);
    }

    @Test
    void refusesQueuesThatDoNotExistAndTrialsLargerThanTheGpuQuota() {
        String base = "name: q-" + UUID.randomUUID().toString().substring(0, 8) + "\nimage: x\nprogram: t.py\n"
                + "method: grid\nparameters: {a: {value: 1}}\n";
        RestAssured.given().contentType("application/json").body(toJson(base + "queue: nowhere\n"))
                .post("/api/v1/sweeps").then().statusCode(422)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("queue"));
        RestAssured.given().contentType("application/json").body(toJson(base + "queue: small-gpu\nresources: {gpu: 4}\n"))
                .post("/api/v1/sweeps").then().statusCode(422)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("resources.gpu"));
    }

    private static String toJson(String yaml) {
        try {
            Object tree = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readValue(yaml, Object.class);
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(tree);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
