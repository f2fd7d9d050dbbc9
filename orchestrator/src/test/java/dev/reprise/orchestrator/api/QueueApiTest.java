package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import dev.reprise.orchestrator.scheduling.TestingExecutor;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/queues}: the configured queues with their limits, placement and what they hold now. */
@QuarkusTest
class QueueApiTest {

    @Inject
    TestingExecutor executor;

    @Test
    void listsEveryConfiguredQueueWithItsLimitsAndPlacement() {
        given().get("/api/v1/queues").then().statusCode(200)
                .body("name", hasItems("default", "lifecycle", "small-gpu", "placed"))
                .body("find { it.name == 'lifecycle' }.maxRunning", equalTo(50))
                .body("find { it.name == 'lifecycle' }.gpuQuota", nullValue())
                .body("find { it.name == 'small-gpu' }.gpuQuota", equalTo(2));
        given().get("/api/v1/queues/placed").then().statusCode(200)
                .body("maxRunning", equalTo(0))
                .body("placement.nodeSelector.'nvidia.com/gpu.product'", equalTo("NVIDIA-H100-80GB-HBM3"))
                .body("placement.tolerations", contains("nvidia.com/gpu:NoSchedule", "dedicated=ml:NoExecute"))
                .body("placement.priorityClassName", equalTo("ml-training"));
    }

    @Test
    void countsTheRunningTrialsTheirGpusAndTheWaitingRunsOfAQueue() {
        String yaml = "name: " + Sweeps.uniqueName() + "\nimage: x\nprogram: t.py\nmethod: grid\nqueue: small-gpu\n"
                + "parallelism: 3\nresources: {gpu: 1}\nparameters:\n  i: {values: [1, 2, 3]}\n";
        int sweep = Sweeps.submitYaml(yaml).statusCode(201).extract().path("id");
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> executor.presentOf(sweep).size() == 2); // quota 2
            given().get("/api/v1/queues/small-gpu").then().statusCode(200)
                    .body("running", equalTo(2)).body("gpusInUse", equalTo(2)).body("queued", equalTo(1));
        } finally {
            given().post("/api/v1/sweeps/{id}/cancel", sweep).then().statusCode(200);
        }
        given().get("/api/v1/queues/small-gpu").then().statusCode(200)
                .body("running", equalTo(0)).body("queued", equalTo(0));
    }

    @Test
    void answersAnUnknownQueueWithAProblem() {
        given().get("/api/v1/queues/nowhere").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE).body("detail", equalTo("queue nowhere does not exist"));
    }
}
