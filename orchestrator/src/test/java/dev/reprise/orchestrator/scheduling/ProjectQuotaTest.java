package dev.reprise.orchestrator.scheduling;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A queue's per-project GPU-hour quota per calendar period (queue "project-quota": 0.001 GPU-hours a month): a
 * project that used it starts no new trial in that queue, its sweep waits (it is not ended), and another project's
 * sweep in the same queue still starts.
 */
@QuarkusTest
class ProjectQuotaTest {

    @Inject
    TestingExecutor executor;

    @Inject
    Scheduler scheduler;

    private static int submit(String project) {
        String yaml = "name: q-" + UUID.randomUUID().toString().substring(0, 8) + "\nproject: " + project + "\n"
                + "image: python:3.12-slim\nprogram: train.py\nmethod: grid\nqueue: project-quota\nparallelism: 1\n"
                + "resources:\n  gpu:\n    count: 8\nparameters:\n  i:\n    values: [1, 2, 3]\n";
        return given().contentType("application/yaml").body(yaml.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/sweeps").then().statusCode(201).extract().path("id");
    }

    @Test
    void aProjectThatUsedItsQuotaInAQueueStartsNothingMoreThereWhileOtherProjectsDo() {
        int heavy = submit("quota-" + UUID.randomUUID().toString().substring(0, 8));
        TrialLaunch first = await().atMost(Duration.ofSeconds(60)).until(() -> executor.presentOf(heavy),
                l -> l.size() == 1).get(0);
        // 8 GPUs for 5 s: 40 GPU-seconds, over the 3.6 the project may use this month
        Instant now = Instant.now();
        executor.report(new TrialObservation.Running(first.runId(), first.attempt(), now.minusSeconds(5), "n", null));
        executor.report(new TrialObservation.Succeeded(first.runId(), first.attempt(), now, 0));

        int other = submit("quota-" + UUID.randomUUID().toString().substring(0, 8));
        await().atMost(Duration.ofSeconds(60)).until(() -> executor.launchesOf(other).size() == 1);
        SchedulerRounds.awaitThreeMore(scheduler);

        assertThat(executor.launchesOf(heavy)).as("no second trial of the project over its quota").hasSize(1);
        assertThat(SchedulingTest.sweepStatus(heavy)).as("the sweep waits for the next period").isEqualTo("RUNNING");
        given().get("/api/v1/queues/project-quota").then().statusCode(200)
                .body("projectGpuHours", org.hamcrest.Matchers.equalTo(0.001f))
                .body("quotaPeriod", org.hamcrest.Matchers.equalTo("month"));
    }
}
