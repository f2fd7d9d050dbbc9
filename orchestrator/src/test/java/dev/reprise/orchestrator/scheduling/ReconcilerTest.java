package dev.reprise.orchestrator.scheduling;

import static dev.reprise.orchestrator.scheduling.SchedulingTest.runs;
import static dev.reprise.orchestrator.scheduling.SchedulingTest.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a new leader does with the executor's trials after a restart. */
@QuarkusTest
class ReconcilerTest {

    @Inject
    TestingExecutor executor;

    @Inject
    Reconciler reconciler;

    @Test
    void adoptsExistingTrialsRelaunchesMissingOnesAndStopsOrphans() {
        int id = submit("", 3, 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).size() == 3);
        List<TrialLaunch> three = executor.presentOf(id);
        TrialLaunch running = three.get(0);
        TrialLaunch launching = three.get(1);
        executor.report(new TrialObservation.Running(running.runId(), 0, Instant.now(), "n1", null));
        await().atMost(Duration.ofSeconds(5)).until(() -> runs(id).stream().anyMatch(r -> "RUNNING".equals(
                r.get("state"))));
        // the backend lost one running and one launching trial, and has a trial of an attempt nobody runs
        executor.forget(running.runId(), 0);
        executor.forget(launching.runId(), 0);
        TrialLaunch orphan = new TrialLaunch(three.get(2).runId(), 9, id, launching.sweepName(), "default", 2,
                "img", List.of("x"), Map.of(), launching.resources(), "lifecycle", 0, "h", "{}",
                TrialLaunch.Placement.NONE);
        executor.plant(orphan);

        Reconciler.Result result = reconciler.reconcile(executor);

        assertThat(result.orphansStopped()).isGreaterThanOrEqualTo(1);
        assertThat(executor.trialStopped(orphan.runId(), 9)).isTrue();
        assertThat(executor.presentOf(id)).extracting(l -> l.runId() + "/" + l.attempt())
                .contains(launching.runId() + "/0", three.get(2).runId() + "/0")
                .doesNotContain(orphan.runId() + "/9");
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).stream()
                .anyMatch(l -> l.runId() == running.runId() && l.attempt() == 1));
        assertThat(executor.presentOf(id)).hasSize(3);
    }

    @Test
    void reconcilingTwiceChangesNothingMore() {
        int id = submit("", 2, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(id).size() == 2);
        reconciler.reconcile(executor);
        Reconciler.Result again = reconciler.reconcile(executor);
        assertThat(again.relaunched()).isZero();
        assertThat(again.vanished()).isZero();
        assertThat(again.orphansStopped()).isZero();
        assertThat(executor.launchesOf(id)).hasSize(2);
    }

    @Test
    void keepsTheTrialOfARunWhoseLaunchSeemedToFailAndWasQueuedAgain() {
        // queue "default" starts nothing in tests: the run stays QUEUED, as after a launch that timed out on the
        // client although the executor created the trial
        String yaml = "name: " + SchedulingTest.newName() + "\nimage: python:3.12-slim\nprogram: train.py\n"
                + "method: grid\nqueue: default\nparameters:\n  i: {value: 1}\n";
        int id = io.restassured.RestAssured.given().config(io.restassured.RestAssured.config().encoderConfig(
                        io.restassured.config.EncoderConfig.encoderConfig().encodeContentTypeAs("application/yaml",
                                io.restassured.http.ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps").then().statusCode(201)
                .extract().path("id");
        long runId = ((Number) runs(id).get(0).get("id")).longValue();
        TrialLaunch launched = new TrialLaunch(runId, 0, id, "queued", "default", 0, "img", List.of("x"), Map.of(),
                new TrialLaunch.TrialResources(null, null, 0, null), "default", 0, "h", "{}",
                TrialLaunch.Placement.NONE);
        executor.plant(launched);

        Reconciler.Result result = reconciler.reconcile(executor);

        assertThat(executor.trialStopped(runId, 0)).isFalse();
        assertThat(result.adopted()).isGreaterThanOrEqualTo(1);
        executor.report(new TrialObservation.Running(runId, 0, Instant.now(), "n1", null));
        await().atMost(Duration.ofSeconds(5)).until(() -> "RUNNING".equals(runs(id).get(0).get("state")));
        executor.report(new TrialObservation.Succeeded(runId, 0, Instant.now(), 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> "SUCCEEDED".equals(runs(id).get(0).get("state")));
    }
}
