package dev.reprise.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.reprise.api.messages.LogStream;
import dev.reprise.api.messages.MetricPoint;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.orchestrator.messaging.ReportIngest;
import dev.reprise.orchestrator.messaging.Reports;
import dev.reprise.orchestrator.metrics.LiveFeed;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard end to end, in a real headless Chromium against the running orchestrator: submitting from the
 * editor, live charts fed by the real ingest (Kafka → PostgreSQL → Server-Sent Events), server-side sorting, the
 * compare view, cancelling, and the screenshots of the main pages under docs/screenshots.
 */
@QuarkusTest
class DashboardBrowserTest {

    private static DashboardBrowser browser;

    @TestHTTPResource("/")
    URL server;

    @Inject
    ReportIngest ingest;

    @Inject
    LiveFeed feed;

    @Inject
    SweepScenario scenario;

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

    private static String grid(String name, String objective, String lrValues, String batchValues) {
        return "name: " + name + "\nimage: python:3.12-slim\nprogram: train.py\nmethod: grid\n"
                + "metric:\n  name: " + objective + "\n  goal: minimize\n"
                + "parameters:\n  lr:\n    values: [" + lrValues + "]\n  batch:\n    values: [" + batchValues + "]\n";
    }

    private static List<MetricPoint> curve(String key, int fromStep, int steps, double end) {
        return IntStream.range(fromStep, fromStep + steps)
                .mapToObj(s -> Reports.point(key, s, end + 1.0 / (1 + s), s)).toList();
    }

    private void type(String css, String text) {
        WebElement field = browser.find(css);
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        field.sendKeys(text);
    }

    private List<Integer> tableIndexes() {
        return browser.all(".run-table tbody tr[data-run-id]").stream()
                .map(r -> Integer.parseInt(r.getDomAttribute("data-index"))).toList();
    }

    @Test
    void submitsASweepPastedIntoTheEditorAndShowsItsRuns() {
        String name = Sweeps.uniqueName();
        browser.open("/new");
        type(".editor textarea", grid(name, "loss", "0.1, 0.01, 0.001", "32, 64"));
        browser.find("form button[type=submit]").click();

        browser.until(() -> browser.route().startsWith("/sweeps/"));
        assertThat(browser.find("h1.sweep-name").getText()).isEqualTo(name);
        browser.until(() -> tableIndexes().size() == 6);
        assertThat(browser.all(".run-table td[data-param='lr']")).extracting(WebElement::getText)
                .containsExactly("0.1", "0.1", "0.01", "0.01", "0.001", "0.001");
        String id = browser.route().substring("/sweeps/".length());
        given().get("/api/v1/sweeps/{id}", id).then().statusCode(200).body("name", equalTo(name))
                .body("runCounts.total", equalTo(6));
    }

    @Test
    void submitsAnUploadedSweepFile(@TempDir Path dir) throws Exception {
        String name = Sweeps.uniqueName();
        Path file = dir.resolve("digits-grid.yaml");
        Files.writeString(file, Sweeps.example("digits-grid.yaml").replaceFirst("(?m)^name: .*$", "name: " + name));
        browser.open("/new");
        browser.find("input[type=file]").sendKeys(file.toAbsolutePath().toString());
        browser.until(() -> browser.find(".editor textarea").getDomProperty("value").contains("name: " + name));
        browser.find("form button[type=submit]").click();

        browser.until(() -> browser.route().startsWith("/sweeps/"));
        browser.until(() -> tableIndexes().size() == 12);
        assertThat(browser.find("h1.sweep-name").getText()).isEqualTo(name);
    }

    @Test
    void showsEachValidationErrorAtTheLineOfItsFieldAndStoresNothing() {
        String project = Sweeps.uniqueName();
        String yaml = "name: lr-sweep\nproject: " + project + "\nimage: python:3.12-slim\nprogram: train.py\n"
                + "method: random\nmax_trials: 5\nparallelism: 0\nparameters:\n  lr:\n    distribution: uniform\n"
                + "    min: 5.0\n    max: 1.0\n";
        browser.open("/new");
        type(".editor textarea", yaml);
        browser.find("form button[type=submit]").click();

        browser.until(() -> browser.all(".field-errors li").size() == 2);
        assertThat(browser.find(".field-errors li[data-field='parallelism']").getDomAttribute("data-line"))
                .isEqualTo("7");
        assertThat(browser.find(".field-errors li[data-field='parameters.lr.min']").getDomAttribute("data-line"))
                .isEqualTo("11");
        assertThat(browser.find(".editor .backdrop div.error[data-line='11'] .inline-error").getText())
                .contains("parameters.lr.min").contains("min (5.0)");
        assertThat(browser.find(".editor .backdrop div.error[data-line='7'] .inline-error").getText())
                .contains("parallelism");
        assertThat(browser.all(".editor .gutter div.error")).extracting(WebElement::getText)
                .containsExactly("7", "11");
        assertThat(browser.find(".submit-result .alert.error").getText()).contains("Invalid sweep");
        assertThat(browser.route()).isEqualTo("/new");
        given().queryParam("project", project).get("/api/v1/sweeps").then().statusCode(200)
                .body("total", equalTo(0));
        browser.screenshot("new-sweep-errors");
    }

    @Test
    void drawsPointsOnTheSweepChartAsTheyAreIngested() {
        await().atMost(DashboardBrowser.PATIENCE).until(ingest::ready);
        SweepScenario.Submitted sweep = SweepScenario.submit(grid(Sweeps.uniqueName(), "loss", "0.1, 0.01", "32"));
        long first = sweep.runs().get(0).id();
        long second = sweep.runs().get(1).id();
        browser.open("/sweeps/" + sweep.sweepId());
        browser.find(".sweep-chart[data-live='open'][data-loaded='true']");
        assertThat(browser.data(".sweep-chart", "points")).isZero();

        try (Reports reports = new Reports()) {
            reports.batch(first, 0, 0, curve("loss", 0, 40, 0.2));
            browser.until(() -> browser.data(".sweep-chart", "points") == 40);
            reports.batch(first, 0, 1, curve("loss", 40, 40, 0.2));
            reports.batch(second, 0, 0, curve("loss", 0, 25, 0.4));
            reports.batch(second, 0, 1, curve("acc", 0, 25, 0.4)); // another key: not on this chart
            browser.until(() -> browser.data(".sweep-chart", "points") == 105);
        }
        assertThat(browser.data(".sweep-chart", "series")).isEqualTo(2);

        browser.until(() -> browser.all("select[name='add-chart'] option[value='acc']").size() == 1);
        new Select(browser.find("select[name='add-chart']")).selectByValue("acc");
        browser.until(() -> browser.data(".sweep-chart-extra[data-key='acc']", "points") == 25);
        try (Reports reports = new Reports()) {
            reports.batch(second, 0, 2, curve("acc", 25, 5, 0.4));
        }
        browser.until(() -> browser.data(".sweep-chart-extra[data-key='acc']", "points") == 30);
        assertThat(browser.data(".sweep-chart", "points")).isEqualTo(105);
    }

    @Test
    void sortsTheRunTableByTheObjectiveOnTheServer() {
        await().atMost(DashboardBrowser.PATIENCE).until(ingest::ready);
        SweepScenario.Submitted sweep = SweepScenario.submit(
                grid(Sweeps.uniqueName(), "loss", "0.1, 0.01, 0.001", "32, 64"));
        double[] finals = {0.42, 0.17, 0.93, 0.08, 0.55, 0.31};
        try (Reports reports = new Reports()) {
            for (int i = 0; i < finals.length; i++) {
                reports.batch(sweep.runs().get(i).id(), 0, 0, List.of(Reports.point("loss", 0, 1.0, 0),
                        Reports.point("loss", 1, finals[i], 1)));
            }
        }
        SweepScenario.awaitSummaries(sweep.sweepId(), "loss", finals.length);
        browser.open("/sweeps/" + sweep.sweepId());
        browser.until(() -> tableIndexes().size() == 6);

        browser.find("th[data-sort='metric:loss']").click();
        browser.until(() -> tableIndexes().equals(List.of(3, 1, 5, 0, 4, 2)));
        assertThat(browser.all(".run-table tbody tr").get(0).getDomAttribute("class")).contains("best");
        assertThat(browser.all(".run-table td[data-metric='loss']")).extracting(WebElement::getText)
                .containsExactly("0.08", "0.17", "0.31", "0.42", "0.55", "0.93");

        browser.find("th[data-sort='metric:loss']").click();
        browser.until(() -> tableIndexes().equals(List.of(2, 4, 0, 5, 1, 3)));
        assertThat(browser.find("th[data-sort='metric:loss']").getDomAttribute("aria-sort")).isEqualTo("descending");
    }

    @Test
    void comparesTwoSelectedRunsSideBySide() {
        await().atMost(DashboardBrowser.PATIENCE).until(ingest::ready);
        SweepScenario.Submitted sweep = SweepScenario.submit(grid(Sweeps.uniqueName(), "loss", "0.1, 0.01", "32"));
        try (Reports reports = new Reports()) {
            reports.batch(sweep.runs().get(0).id(), 0, 0, curve("loss", 0, 20, 0.3));
            reports.batch(sweep.runs().get(1).id(), 0, 0, curve("loss", 0, 30, 0.1));
        }
        SweepScenario.awaitSummaries(sweep.sweepId(), "loss", 2);
        browser.open("/sweeps/" + sweep.sweepId());
        browser.until(() -> tableIndexes().size() == 2);
        browser.all(".run-table tbody input[type=checkbox]").forEach(WebElement::click);
        WebElement compare = browser.find(".page-head button.compare");
        browser.until(compare::isEnabled);
        compare.click();

        browser.until(() -> browser.route().startsWith("/compare?runs="));
        assertThat(browser.find("table[data-table='parameters'] tr[data-field='lr']").getDomAttribute("data-differs"))
                .isEqualTo("true");
        assertThat(browser.find("table[data-table='parameters'] tr[data-field='batch']")
                .getDomAttribute("data-differs")).isEqualTo("false");
        assertThat(browser.find("table[data-table='provenance'] tr[data-field='config hash']")
                .getDomAttribute("data-differs")).isEqualTo("true");
        browser.until(() -> browser.data(".compare-chart[data-key='loss']", "points") == 50);
        assertThat(browser.data(".compare-chart[data-key='loss']", "series")).isEqualTo(2);
        // two runs: the server's verdict, naming what differs
        assertThat(browser.find(".verdict").getDomAttribute("data-verdict")).isEqualTo("diverged");
        assertThat(browser.find(".verdict").getText()).contains("Diverged").contains("lr");
    }

    @Test
    void pausesResumesAndCancelsASweepFromItsPage() {
        int id = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "")).statusCode(201).extract().path("id");
        browser.open("/sweeps/" + id);
        WebElement cancel = browser.find(".page-head button.danger");
        browser.until(() -> tableIndexes().size() == 2);
        browser.find(".page-head button.pause").click();
        browser.until(() -> browser.find(".page-head button.pause").getText().equals("Resume"));
        given().get("/api/v1/sweeps/{id}", id).then().body("paused", equalTo(true));
        browser.find(".page-head button.pause").click();
        browser.until(() -> browser.find(".page-head button.pause").getText().equals("Pause"));
        given().get("/api/v1/sweeps/{id}", id).then().body("paused", equalTo(false));

        cancel.click();
        assertThat(cancel.getText()).startsWith("Confirm");
        given().get("/api/v1/sweeps/{id}", id).then().body("status", equalTo("QUEUED"));
        cancel.click();

        browser.find(".page-head .badge[data-state='CANCELLED']");
        given().get("/api/v1/sweeps/{id}", id).then().body("status", equalTo("CANCELLED"))
                .body("runCounts.CANCELLED", equalTo(2));
    }

    @Test
    void extendsASweepFromItsPageAndShowsWhyAnExtensionIsRefused() {
        int id = Sweeps.submitYaml("name: " + Sweeps.uniqueName() + "\nimage: python:3.12-slim\nprogram: train.py\n"
                + "method: random\nmax_trials: 2\nparameters:\n  lr: {min: 0.0, max: 1.0}\n").statusCode(201)
                .extract().path("id");
        browser.open("/sweeps/" + id);
        browser.until(() -> tableIndexes().size() == 2);
        type(".page-head input.extend-count", "5");
        browser.find(".page-head button.extend").click();
        browser.until(() -> tableIndexes().size() == 5);
        given().get("/api/v1/sweeps/{id}", id).then().body("maxTrials", equalTo(5));

        // the server's reason is shown, and nothing changes
        type(".page-head input.extend-count", "999999");
        browser.find(".page-head button.extend").click();
        browser.until(() -> browser.find(".alert").getText().contains("must be at most"));
        given().get("/api/v1/sweeps/{id}", id).then().body("maxTrials", equalTo(5));
    }

    @Test
    void followsTheOutputAndMetricsOfARunLive() {
        await().atMost(DashboardBrowser.PATIENCE).until(ingest::ready);
        SweepScenario.Submitted sweep = SweepScenario.submit(grid(Sweeps.uniqueName(), "loss", "0.1", "32"));
        long run = sweep.runs().get(0).id();
        browser.open("/runs/" + run);
        browser.find("pre.logs");
        browser.until(() -> feed.hasSubscribers(run));

        try (Reports reports = new Reports()) {
            reports.send(new RunEvent.LogChunk(run, 0, 0, LogStream.STDOUT, 0, List.of("epoch 1", "epoch 2")));
            reports.send(new RunEvent.LogChunk(run, 0, 1, LogStream.STDERR, 0, List.of("warning: slow disk")));
            reports.batch(run, 0, 0, curve("loss", 0, 30, 0.2));
            browser.until(() -> browser.data("pre.logs", "lines") == 3);
            browser.until(() -> browser.data(".chart[data-key='loss']", "points") == 30);

            reports.send(new RunEvent.LogChunk(run, 0, 2, LogStream.STDOUT, 2, List.of("epoch 3")));
            reports.batch(run, 0, 1, curve("loss", 30, 10, 0.2));
            browser.until(() -> browser.data("pre.logs", "lines") == 4);
            browser.until(() -> browser.data(".chart[data-key='loss']", "points") == 40);
        }
        assertThat(browser.find("pre.logs").getText()).contains("epoch 1", "warning: slow disk", "epoch 3");
        assertThat(browser.find("pre.logs .stderr").getText()).contains("warning: slow disk");

        // its full provenance record and its outputs (none uploaded: no agent ran)
        browser.find("details#full-provenance > summary").click();
        browser.until(() -> browser.find("dl[data-facts='provenance-record']").getText().contains("config hash"));
        assertThat(browser.find("dl[data-facts='provenance-record']").getText()).contains("seed", "python:3.12-slim");
        assertThat(browser.find("pre.spec-text").getText()).contains("name: ");
        browser.until(() -> !browser.find(".run-artifacts").getText().contains("loading"));
        assertThat(browser.find(".run-artifacts").getText()).containsAnyOf("No files", "No outputs");
        assertThat(browser.find("button#rerun").isEnabled()).isTrue();
    }

    /** A research sweep mid-flight, a finished one and a cancelled one; pictures of every main page. */
    @Test
    void screenshotsTheMainPages() {
        await().atMost(DashboardBrowser.PATIENCE).until(ingest::ready);
        String suffix = Sweeps.uniqueName().substring(2, 8);
        String project = "vision-" + suffix;
        SweepScenario.Submitted main = SweepScenario.submit(
                SweepScenario.randomSearch("resnet18-cifar10-" + suffix, project, 24));
        SweepScenario.Submitted done = SweepScenario.submit(grid("mlp-width-grid-" + suffix, SweepScenario.OBJECTIVE,
                "0.003, 0.03", "64, 256").replace("image:", "project: " + project + "\nimage:"));
        int cancelled = Sweeps.submitYaml(Sweeps.minimal("bert-finetune-" + suffix, "project: " + project + "\n"))
                .statusCode(201).extract().path("id");
        given().post("/api/v1/sweeps/{id}/cancel", cancelled).then().statusCode(200);

        Map<Long, Double> objective = new java.util.HashMap<>();
        List<SweepScenario.Run> trained = main.runs().subList(0, 16);
        try (Reports reports = new Reports()) {
            for (SweepScenario.Run run : trained) {
                boolean finished = run.index() < 12;
                int steps = finished ? 200 : 50 + 10 * run.index() - 100;
                objective.put(run.id(), SweepScenario.train(reports, run, finished ? 200 : Math.max(40, steps)));
                if (finished) {
                    SweepScenario.agentLifecycle(reports, run, 200, run.index() == 11 ? 1 : 0);
                }
            }
            for (SweepScenario.Run run : done.runs()) {
                SweepScenario.train(reports, run, 80);
                SweepScenario.agentLifecycle(reports, run, 80, 0);
            }
        }
        SweepScenario.awaitSummaries(main.sweepId(), SweepScenario.OBJECTIVE, trained.size());
        SweepScenario.awaitSummaries(done.sweepId(), SweepScenario.OBJECTIVE, done.runs().size());
        scenario.running(trained);
        trained.subList(0, 11).forEach(scenario::succeeded);
        scenario.failed(trained.get(11));
        scenario.running(done.runs());
        done.runs().forEach(scenario::succeeded);

        browser.open("/sweeps?project=" + project);
        browser.until(() -> browser.all(".sweeps-table tbody tr").size() == 3);
        browser.screenshot("sweeps");

        browser.open("/sweeps/" + main.sweepId() + "?sort=metric:" + SweepScenario.OBJECTIVE);
        browser.until(() -> browser.data(".sweep-chart", "points") > 0);
        browser.until(() -> browser.data(".parallel-chart", "lines") == trained.size());
        new Select(browser.find("select[name='add-chart']")).selectByValue("val/acc");
        browser.until(() -> browser.data(".sweep-chart-extra[data-key='val/acc']", "points") > 0);
        browser.screenshot("sweep");

        List<Long> ranked = new ArrayList<>(objective.keySet());
        ranked.sort(Comparator.comparing(objective::get));
        assertThat(browser.find(".run-table tr.best").getDomAttribute("data-run-id"))
                .isEqualTo(String.valueOf(ranked.get(0)));
        browser.open("/runs/" + ranked.get(0));
        browser.until(() -> browser.data(".chart[data-key='" + SweepScenario.OBJECTIVE + "']", "points") > 0);
        browser.until(() -> browser.data("pre.logs", "lines") == 11);
        browser.screenshot("run");

        browser.open("/compare?runs=" + ranked.get(0) + "," + ranked.get(1) + "," + ranked.get(ranked.size() - 1));
        browser.until(() -> browser.data(".compare-chart[data-key='" + SweepScenario.OBJECTIVE + "']", "points") > 0);
        browser.until(() -> browser.data(".compare-chart[data-key='" + SweepScenario.OBJECTIVE + "']", "series") == 3);
        browser.screenshot("compare");
    }
}
