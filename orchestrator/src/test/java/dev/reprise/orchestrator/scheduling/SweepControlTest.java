package dev.reprise.orchestrator.scheduling;

import static dev.reprise.orchestrator.scheduling.SchedulingTest.runs;
import static dev.reprise.orchestrator.scheduling.SchedulingTest.submit;
import static dev.reprise.orchestrator.scheduling.SchedulingTest.sweepStatus;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.reprise.orchestrator.domain.search.RandomSampler;
import dev.reprise.orchestrator.domain.spec.Specs;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pause, resume and extend, bayes search and early termination, with the hand-written executor. */
@QuarkusTest
class SweepControlTest {

    @Inject
    TestingExecutor executor;

    @Inject
    Scheduler scheduler;

    @Inject
    ObjectiveWriter objective;

    private void succeedAll(int sweepId) {
        for (TrialLaunch l : executor.presentOf(sweepId)) {
            executor.report(new TrialObservation.Succeeded(l.runId(), l.attempt(), Instant.now(), 0));
        }
    }

    @Test
    void pausingStopsNewLaunchesAndResumingContinues() {
        int id = submit("", 4, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).size() == 1);
        given().post("/api/v1/sweeps/{id}/pause", id).then().statusCode(200).body("paused", equalTo(true));
        succeedAll(id);
        SchedulerRounds.awaitThreeMore(scheduler);
        assertThat(executor.launchesOf(id)).as("no launch while paused").hasSize(1);
        given().post("/api/v1/sweeps/{id}/resume", id).then().statusCode(200).body("paused", equalTo(false));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            succeedAll(id);
            return "SUCCEEDED".equals(sweepStatus(id));
        });
        assertThat(executor.launchesOf(id)).hasSize(4);
    }

    @Test
    void refusesToResumeASweepThatEnded() {
        int id = submit("", 1, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            succeedAll(id);
            return "SUCCEEDED".equals(sweepStatus(id));
        });
        given().post("/api/v1/sweeps/{id}/resume", id).then().statusCode(409)
                .body("errors[0].field", equalTo("status"));
    }

    @Test
    void refusesToExtendBelowTheCurrentCountOrBeyondTheGrid() {
        int id = submit("", 2, 2);
        given().contentType("application/json").body("{\"max_trials\": 2}").post("/api/v1/sweeps/{id}/extend", id)
                .then().statusCode(422).body("errors[0].field", equalTo("max_trials"));
        given().contentType("application/json").body("{\"max_trials\": 3}").post("/api/v1/sweeps/{id}/extend", id)
                .then().statusCode(422).body("errors[0].message", equalTo("the grid has only 2 combinations"));
        given().contentType("application/json").body("{}").post("/api/v1/sweeps/{id}/extend", id)
                .then().statusCode(422).body("errors[0].message", equalTo("is required"));
    }

    @Test
    void extendsRandomSweepsWithTheNextTrialsOfTheirSeed() {
        String yaml = "name: " + SchedulingTest.newName() + "\nimage: x\nprogram: t.py\nmethod: random\nseed: 5\n"
                + "max_trials: 2\nqueue: lifecycle\nparallelism: 4\nparameters:\n  lr: {min: 0.0, max: 1.0}\n";
        int id = io.restassured.RestAssured.given().config(io.restassured.RestAssured.config().encoderConfig(
                        io.restassured.config.EncoderConfig.encoderConfig().encodeContentTypeAs("application/yaml",
                                io.restassured.http.ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps").then().statusCode(201)
                .extract().path("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            succeedAll(id);
            return "SUCCEEDED".equals(sweepStatus(id));
        });
        given().contentType("application/json").body("{\"max_trials\": 5}").post("/api/v1/sweeps/{id}/extend", id)
                .then().statusCode(200).body("maxTrials", equalTo(5)).body("status", equalTo("RUNNING"));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            succeedAll(id);
            return "SUCCEEDED".equals(sweepStatus(id));
        });
        List<Map<String, Object>> all = runs(id);
        assertThat(all).hasSize(5);
        var spec = Specs.valid(yaml.replace("queue: lifecycle\n", "")).parameters();
        for (int i = 0; i < 5; i++) {
            assertThat(((Number) ((Map<?, ?>) all.get(i).get("parameters")).get("lr")).doubleValue())
                    .isEqualTo((double) RandomSampler.point(spec, 5, i).get("lr"));
        }
    }

    @Test
    void createsBayesTrialsAsSlotsFreeAndFinishesAtMaxTrials() {
        String yaml = "name: " + SchedulingTest.newName() + "\nimage: x\nprogram: t.py\nmethod: bayes\nseed: 3\n"
                + "max_trials: 14\nqueue: lifecycle\nparallelism: 2\nmetric: {name: loss}\n"
                + "parameters:\n  x: {min: -5.0, max: 5.0}\n";
        int id = io.restassured.RestAssured.given().contentType("application/json").body(toJson(yaml))
                .post("/api/v1/sweeps").then().statusCode(201).body("runCounts.total", equalTo(0))
                .extract().path("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).size() == 2);
        assertThat(runs(id)).hasSize(2);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (TrialLaunch l : executor.presentOf(id)) {
                double x = ((Number) com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                        .readTree(l.env().get("REPRISE_PARAMS")).get("x").asDouble()).doubleValue();
                objective.record(l.runId(), l.attempt(), "loss", 1, (x - 2) * (x - 2));
                // as a real agent does: its last metric, then its report that the attempt finished
                objective.agentFinished(l.runId(), l.attempt());
                executor.report(new TrialObservation.Succeeded(l.runId(), l.attempt(), Instant.now(), 0));
            }
            return "SUCCEEDED".equals(sweepStatus(id));
        });
        List<Map<String, Object>> all = runs(id);
        assertThat(all).hasSize(14);
        // the last suggestions (after 10 random start-up trials) concentrate near the optimum x = 2
        double lateDistance = all.subList(10, 14).stream()
                .mapToDouble(r -> Math.abs(((Number) ((Map<?, ?>) r.get("parameters")).get("x")).doubleValue() - 2))
                .average().orElseThrow();
        assertThat(lateDistance).isLessThan(2.5);
    }

    @Test
    void theSweepReportsTheStepsAndGpuSecondsEarlyStoppingSaved() {
        String yaml = "name: " + SchedulingTest.newName() + "\nimage: x\nprogram: t.py\nmethod: grid\n"
                + "queue: lifecycle\nparallelism: 4\nmetric: {name: acc, goal: maximize}\n"
                + "resources: {gpu: {count: 2}}\n"
                + "early_terminate: {type: hyperband, min_iter: 2, max_iter: 18, eta: 3}\n"
                + "parameters:\n  quality: {values: [0.9, 0.8, 0.7, 0.1]}\n";
        int id = io.restassured.RestAssured.given().contentType("application/json").body(toJson(yaml))
                .post("/api/v1/sweeps").then().statusCode(201).extract().path("id");
        given().get("/api/v1/sweeps/{id}/early-stopping", id).then().statusCode(200)
                .body("rule", equalTo("hyperband")).body("stoppedRuns", equalTo(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).size() == 4);
        List<TrialLaunch> four = executor.presentOf(id).stream()
                .sorted(java.util.Comparator.comparingInt(TrialLaunch::index)).toList();
        Instant started = Instant.now().minusSeconds(60);
        for (TrialLaunch l : four) {
            executor.report(new TrialObservation.Running(l.runId(), 0, started, "n", null));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> runs(id).stream().allMatch(r -> "RUNNING".equals(
                r.get("state"))));
        for (int i = 0; i < 4; i++) {
            double q = List.of(0.9, 0.8, 0.7, 0.1).get(i);
            objective.record(four.get(i).runId(), 0, "acc", 1, q / 2);
            objective.record(four.get(i).runId(), 0, "acc", 2, q);
        }
        TrialLaunch weak = four.get(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> runs(id).stream().anyMatch(r ->
                ((Number) r.get("id")).longValue() == weak.runId() && "STOPPED_EARLY".equals(r.get("state"))));

        // the others end now, so nothing else is stopped while the figures are read
        for (TrialLaunch l : four) {
            executor.report(new TrialObservation.Succeeded(l.runId(), 0, Instant.now(), 0));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCEEDED".equals(sweepStatus(id)));
        long stopped = runs(id).stream().filter(r -> "STOPPED_EARLY".equals(r.get("state"))).count();

        var savings = given().get("/api/v1/sweeps/{id}/early-stopping", id).then().statusCode(200).extract()
                .jsonPath();
        assertThat(savings.getString("rule")).isEqualTo("hyperband");
        assertThat(savings.getString("maxStepsFrom")).isEqualTo("max_iter");
        assertThat(savings.getLong("maxSteps")).isEqualTo(18);
        assertThat(savings.getLong("stoppedRuns")).isEqualTo(stopped).isPositive();
        // every stopped trial trained 2 of the 18 steps
        assertThat(savings.getLong("stepsTrained")).isEqualTo(2 * stopped);
        assertThat(savings.getLong("stepsNotTrained")).isEqualTo(16 * stopped);
        assertThat(savings.getList("runs.runId", Long.class)).contains(weak.runId());
        // 2 GPUs each for the 60-odd seconds since they started, over 2 steps: 16 more steps take 8 times that
        double used = savings.getDouble("gpuSecondsUsed");
        assertThat(used).isGreaterThanOrEqualTo(120.0 * stopped);
        assertThat(savings.getDouble("gpuSecondsSaved")).isCloseTo(used * 8, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void stopsTrialsThatFallBehindAtAHyperbandRung() {
        String yaml = "name: " + SchedulingTest.newName() + "\nimage: x\nprogram: t.py\nmethod: grid\n"
                + "queue: lifecycle\nparallelism: 4\nmetric: {name: acc, goal: maximize}\n"
                + "early_terminate: {type: hyperband, min_iter: 2, max_iter: 18, eta: 3}\n"
                + "parameters:\n  quality: {values: [0.9, 0.8, 0.7, 0.1]}\n";
        int id = io.restassured.RestAssured.given().contentType("application/json").body(toJson(yaml))
                .post("/api/v1/sweeps").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).size() == 4);
        List<TrialLaunch> four = executor.presentOf(id);
        for (TrialLaunch l : four) {
            executor.report(new TrialObservation.Running(l.runId(), 0, Instant.now(), "n", null));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> runs(id).stream().allMatch(r -> "RUNNING".equals(
                r.get("state"))));
        // every trial reaches rung 2; the weakest is outside the best third, the best one is inside
        List<TrialLaunch> byQuality = four.stream().sorted(java.util.Comparator.comparingInt(TrialLaunch::index))
                .toList();
        for (int i = 0; i < 4; i++) {
            double q = List.of(0.9, 0.8, 0.7, 0.1).get(i);
            objective.record(byQuality.get(i).runId(), 0, "acc", 1, q / 2);
            objective.record(byQuality.get(i).runId(), 0, "acc", 2, q);
        }
        TrialLaunch weak = byQuality.get(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> runs(id).stream().anyMatch(r ->
                ((Number) r.get("id")).longValue() == weak.runId() && "STOPPED_EARLY".equals(r.get("state"))));
        Map<String, Object> weakRun = runs(id).stream().filter(r -> ((Number) r.get("id")).longValue()
                == weak.runId()).findFirst().orElseThrow();
        assertThat((String) weakRun.get("message")).contains("rung 2");
        assertThat(weakRun.get("failureCause")).isNull();
        // the decision in figures, on the run: 0.1 at rung 2, below the cut-off, the worst of the trials compared
        Map<String, Object> earlyStop = io.restassured.RestAssured.given().get("/api/v1/runs/{id}", weak.runId())
                .then().statusCode(200).extract().jsonPath().getMap("earlyStop");
        assertThat(earlyStop).containsEntry("rule", "hyperband").containsEntry("step", 2).containsEntry("goal",
                "maximize");
        assertThat(((Number) earlyStop.get("value")).doubleValue())
                .isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(((Number) earlyStop.get("cutoff")).doubleValue()).isGreaterThan(0.1);
        assertThat((Integer) earlyStop.get("peers")).isBetween(2, 4);
        assertThat(earlyStop.get("rank")).isEqualTo(earlyStop.get("peers"));
        assertThat(runs(id).stream().filter(r -> ((Number) r.get("id")).longValue() == byQuality.get(0).runId())
                .findFirst().orElseThrow()).containsEntry("state", "RUNNING");
        await().atMost(Duration.ofSeconds(5)).until(() -> executor.trialStopped(weak.runId(), 0));
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
