package dev.reprise.orchestrator.execution.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A sweep stops at its GPU-hour budget, on real processes wrapped by the real agent. The local executor does not
 * place GPUs, but a trial that requests them is charged for them (4 GPUs × its observed wall time), so a small budget
 * is used up after a few trials of a few seconds each: no further trial starts, and the sweep ends with the reason.
 */
@QuarkusTest
@TestProfile(LocalExecutorProfile.class)
class GpuBudgetEndToEndTest {

    /** 36 GPU-seconds: at 4 GPUs, 9 s of trial wall time. */
    private static final double BUDGET_GPU_HOURS = 0.01;

    @Inject
    AgroalDataSource dataSource;

    private static int submit(String yaml) {
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void noTrialStartsOnceTheBudgetIsUsedAndTheSweepEndsSayingWhy() throws Exception {
        // the project's webhook hears of it: a real receiver on this machine
        String project = "budget-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            noTrialStartsOnceTheBudgetIsUsed(project, received, "http://127.0.0.1:" + receiver.getAddress().getPort()
                    + "/hook");
        } finally {
            receiver.stop(0);
        }
    }

    private void noTrialStartsOnceTheBudgetIsUsed(String project, List<String> received, String hookUrl)
            throws Exception {
        int id = submit("name: budget-" + UUID.randomUUID().toString().substring(0, 8) + "\nproject: " + project
                + "\nimage: local\n"
                + "queue: local\ncommand: [sh, -c, 'sleep 2; echo \"{\\\"loss\\\": ${params.i}}\"']\n"
                + "method: grid\nparallelism: 1\nresources:\n  gpu:\n    count: 4\n"
                + "budget:\n  gpu_hours: " + BUDGET_GPU_HOURS + "\n"
                + "metric: {name: loss, goal: minimize}\n"
                + "parameters:\n  i:\n    values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]\n");

        // the project exists once its first sweep does; the budget lasts a few trials of 2 s, well past this
        given().contentType("application/json").body(Map.of("url", hookUrl, "events",
                        List.of("sweep.budget_reached", "sweep.finished")))
                .post("/api/v1/projects/{p}/webhooks", project).then().statusCode(201);
        await().atMost(Duration.ofMinutes(5)).until(() -> List.of("SUCCEEDED", "FAILED")
                .contains(given().get("/api/v1/sweeps/{id}", id).then().extract().<String>path("status")));

        JsonPath sweep = given().get("/api/v1/sweeps/{id}", id).then().statusCode(200).extract().jsonPath();
        assertThat(sweep.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(sweep.getString("endReason")).startsWith("GPU-hour budget reached: ")
                .endsWith(" of 0.01 GPU-hours used");
        List<Map<String, Object>> runs = given().queryParam("size", 100).get("/api/v1/sweeps/{id}/runs", id)
                .then().statusCode(200).extract().jsonPath().getList("items");
        long succeeded = runs.stream().filter(r -> "SUCCEEDED".equals(r.get("state"))).count();
        long cancelled = runs.stream().filter(r -> "CANCELLED".equals(r.get("state"))).count();
        assertThat(succeeded).as("trials that ran").isGreaterThanOrEqualTo(1);
        assertThat(succeeded + cancelled).isEqualTo(20);
        assertThat(cancelled).as("trials never started").isGreaterThan(0);

        // every trial started while the sweep was under budget: before the last one started (one at a time), the
        // ones before it had used less than the budget; with it, the budget was reached
        List<Double> gpuSeconds = attemptGpuSecondsInStartOrder(id);
        assertThat(gpuSeconds).hasSize((int) succeeded);
        double beforeLast = gpuSeconds.subList(0, gpuSeconds.size() - 1).stream().mapToDouble(d -> d).sum();
        double all = gpuSeconds.stream().mapToDouble(d -> d).sum();
        assertThat(beforeLast).isLessThan(BUDGET_GPU_HOURS * 3600);
        assertThat(all).isGreaterThanOrEqualTo(BUDGET_GPU_HOURS * 3600);

        JsonPath usage = given().get("/api/v1/sweeps/{id}/usage", id).then().statusCode(200).extract().jsonPath();
        assertThat(usage.getDouble("budgetGpuHours")).isEqualTo(BUDGET_GPU_HOURS);
        assertThat(usage.getDouble("total.gpuSeconds")).isCloseTo(all, org.assertj.core.data.Offset.offset(0.01));
        assertThat(usage.getList("objectiveByGpuHours")).hasSize((int) succeeded);

        // sweep.budget_reached with the stated reason, and sweep.finished (delivered concurrently: in any order)
        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= 2);
        assertThat(received).hasSize(2)
                .anySatisfy(body -> assertThat(body).contains("\"sweep.budget_reached\"")
                        .contains("GPU-hour budget reached"))
                .anySatisfy(body -> assertThat(body).contains("\"sweep.finished\"").contains("SUCCEEDED"));
    }

    /** 4 GPUs × (observed end - observed start) of each attempt of the sweep, in the order they started. */
    private List<Double> attemptGpuSecondsInStartOrder(int sweepId) throws Exception {
        List<Double> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select 4 * extract(epoch from a.finished_at - a.started_at) from run_attempts a "
                        + "join runs r on r.id = a.run_id where r.sweep_id = ? and a.started_at is not null "
                        + "order by a.started_at")) {
            s.setLong(1, sweepId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getDouble(1));
                }
            }
        }
        return out;
    }
}
