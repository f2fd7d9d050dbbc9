package dev.reprise.orchestrator.scheduling;

import static dev.reprise.orchestrator.scheduling.SchedulingTest.newName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A queue's limits count every trial that runs in it, whatever the state of the sweep it belongs to. */
@QuarkusTest
class QueueUsageTest {

    @Inject
    TestingExecutor executor;

    @Inject
    Scheduler scheduler;

    private static int submit(String queue, int trials) {
        String yaml = "name: " + newName() + "\nimage: x\nprogram: t.py\nmethod: grid\nqueue: " + queue + "\n"
                + "parallelism: " + trials + "\nresources: {gpu: 1}\nparameters:\n  i: {min: 1, max: " + trials + "}\n";
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void thePausedSweepsRunningTrialsStillHoldTheirGpus() {
        int paused = submit("pause-quota", 3);
        int other = -1;
        try {
            other = submit("pause-quota", 2); // second in line (FIFO)
            checkQuota(paused, other);
        } finally {
            // the queue is this test's alone: leave it empty for the next run against the same database
            given().post("/api/v1/sweeps/{id}/cancel", paused);
            if (other > 0) {
                given().post("/api/v1/sweeps/{id}/cancel", other);
            }
        }
    }

    private void checkQuota(int paused, int other) {
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(paused).size() == 2); // quota 2
        given().post("/api/v1/sweeps/{id}/pause", paused).then().statusCode(200);

        // the two GPUs are still in use by the paused sweep's trials: nothing of the other sweep may start
        SchedulerRounds.awaitThreeMore(scheduler);
        assertThat(executor.launchesOf(other)).as("nothing of the other sweep while the GPUs are in use").isEmpty();

        TrialLaunch first = executor.presentOf(paused).get(0);
        executor.report(new TrialObservation.Succeeded(first.runId(), first.attempt(), Instant.now(), 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.launchesOf(other).size() == 1);
        SchedulerRounds.awaitThreeMore(scheduler);
        assertThat(executor.launchesOf(other)).as("one GPU freed, one launch").hasSize(1);
    }
}
