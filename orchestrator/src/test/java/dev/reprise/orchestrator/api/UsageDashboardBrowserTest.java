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
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's usage views in a real headless Chromium: the usage page sums a project's GPU-hours, and the sweep
 * page shows the sweep's GPU-hours against its budget and plots its objective against cumulative GPU-hours.
 */
@QuarkusTest
class UsageDashboardBrowserTest {

    private static final Instant T = Instant.parse("2026-11-03T08:00:00Z");
    private static DashboardBrowser browser;

    @TestHTTPResource("/")
    URL server;

    @Inject
    TestingExecutor executor;

    @Inject
    ObjectiveWriter objectives;

    @BeforeEach
    void startBrowser() {
        DashboardBrowser.assumeInstalled();
        if (browser == null) {
            browser = new DashboardBrowser(server);
        }
    }

    @AfterEach
    void pageRaisedNoScriptErrors() {
        if (browser != null) {
            assertThat(browser.scriptErrors()).as("script errors in the browser console").isEmpty();
        }
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Test
    void showsAProjectsGpuHoursAndASweepsObjectiveAgainstCumulativeGpuHours() {
        String project = "usage-ui-" + UUID.randomUUID().toString().substring(0, 8);
        String yaml = "name: u-" + UUID.randomUUID().toString().substring(0, 8) + "\nproject: " + project + "\n"
                + "image: python:3.12-slim\nprogram: train.py\nmethod: grid\nqueue: lifecycle\nparallelism: 2\n"
                + "resources:\n  gpu:\n    count: 2\nbudget:\n  gpu_hours: 10\n"
                + "metric: {name: loss, goal: minimize}\nparameters:\n  i:\n    values: [1, 2]\n";
        int id = given().contentType("application/yaml").body(yaml.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/sweeps").then().statusCode(201).extract().path("id");
        List<TrialLaunch> launches = await().atMost(Duration.ofSeconds(60))
                .until(() -> executor.presentOf(id), l -> l.size() == 2);
        for (TrialLaunch l : launches) {
            int minutes = 30 * (l.index() + 1); // 30 and 60 minutes at 2 GPUs: 1 + 2 GPU-hours
            executor.report(new TrialObservation.Running(l.runId(), 0, T, "gpu-node", null));
            objectives.record(l.runId(), 0, "loss", 1, 1.0 / (l.index() + 1));
            executor.report(new TrialObservation.Succeeded(l.runId(), 0, T.plusSeconds(60L * minutes), 0));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(
                given().get("/api/v1/sweeps/{id}", id).then().extract().path("status")));

        browser.open("/usage?groupBy=project&project=" + project + "&from=2026-11-01");
        browser.until(() -> browser.data(".usage-table tr[data-key='" + project + "']", "gpu-seconds") == 3 * 3600);
        assertThat(browser.find(".usage-table tfoot").getText()).contains("Total").contains("3");

        browser.open("/sweeps/" + id);
        browser.until(() -> browser.data(".usage-panel", "gpu-seconds") == 3 * 3600);
        assertThat(browser.find(".usage-budget").getText()).startsWith("3 of 10");
        browser.until(() -> browser.data(".usage-chart", "points") == 2);
    }
}
