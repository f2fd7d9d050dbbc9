package dev.reprise.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import dev.reprise.orchestrator.scheduling.ObjectiveWriter;
import dev.reprise.orchestrator.scheduling.TestingExecutor;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The early-stopping decision on the run page and what stopping saved on the sweep page, in a real headless Chromium,
 * for a hyperband sweep whose weakest trial the rule stopped.
 */
@QuarkusTest
class EarlyStoppingDashboardTest {

    @TestHTTPResource("/")
    URL server;

    @Inject
    TestingExecutor executor;

    @Inject
    ObjectiveWriter objective;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> runs(int sweepId) {
        return given().queryParam("size", 50).get("/api/v1/sweeps/{id}/runs", sweepId).then().statusCode(200)
                .extract().jsonPath().getList("items");
    }

    @Test
    void theRunPageExplainsTheStopAndTheSweepPageShowsWhatItSaved() {
        DashboardBrowser.assumeInstalled();
        String yaml = "name: es-" + UUID.randomUUID().toString().substring(0, 10) + "\nimage: x\nprogram: t.py\n"
                + "method: grid\nqueue: lifecycle\nparallelism: 4\nmetric: {name: acc, goal: maximize}\n"
                + "resources: {gpu: {count: 1}}\n"
                + "early_terminate: {type: hyperband, min_iter: 2, max_iter: 18, eta: 3}\n"
                + "parameters:\n  quality: {values: [0.9, 0.8, 0.7, 0.1]}\n";
        int id = RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps").then().statusCode(201)
                .extract().path("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> executor.presentOf(id).size() == 4);
        List<TrialLaunch> four = executor.presentOf(id).stream().sorted(Comparator.comparingInt(TrialLaunch::index))
                .toList();
        for (TrialLaunch l : four) {
            executor.report(new TrialObservation.Running(l.runId(), 0, Instant.now().minusSeconds(30), "n", null));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> runs(id).stream().allMatch(r -> "RUNNING".equals(
                r.get("state"))));
        for (int i = 0; i < 4; i++) {
            double q = List.of(0.9, 0.8, 0.7, 0.1).get(i);
            objective.record(four.get(i).runId(), 0, "acc", 1, q / 2);
            objective.record(four.get(i).runId(), 0, "acc", 2, q);
        }
        long weak = four.get(3).runId();
        await().atMost(Duration.ofSeconds(20)).until(() -> runs(id).stream().anyMatch(r ->
                ((Number) r.get("id")).longValue() == weak && "STOPPED_EARLY".equals(r.get("state"))));
        for (TrialLaunch l : four) {
            executor.report(new TrialObservation.Succeeded(l.runId(), 0, Instant.now(), 0));
        }

        try (DashboardBrowser browser = new DashboardBrowser(server)) {
            browser.open("/runs/" + weak);
            String explained = browser.find("#early-stop").getText();
            assertThat(explained).contains("Stopped early", "hyperband rule stopped this run at rung 2",
                    "its value there was 0.1").containsPattern("It ranked (\\d) of \\1 runs compared");
            assertThat(browser.find("#early-stop dl[data-facts=early-stop]").getText()).contains("cut-off", "rank");

            browser.open("/sweeps/" + id);
            browser.until(() -> !browser.all(".early-stopping-savings").isEmpty()
                    && browser.find(".early-stopping-savings").getText().contains("steps not trained"));
            String saved = browser.find(".early-stopping-savings").getText();
            assertThat(saved).containsPattern("\\d+ stopped · \\d+ of \\d+ steps not trained \\(\\d+%\\) · ≈ "
                    + "[0-9.]+ GPU-h saved");
            assertThat(browser.scriptErrors()).as("script errors in the browser console").isEmpty();
        }
    }
}
