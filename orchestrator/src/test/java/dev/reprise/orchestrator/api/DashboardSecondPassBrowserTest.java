package dev.reprise.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.api.messages.MetricPoint;
import dev.reprise.orchestrator.messaging.ReportIngest;
import dev.reprise.orchestrator.messaging.Reports;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The dashboard's second pass (issue #20), in a real headless Chromium: one identity per run (its colour and number),
 * live pages that update when a run ends, brushing and log axes in parallel coordinates, CSV export, the view in the
 * URL, phone width, the dark theme and a console without errors.
 */
@QuarkusTest
class DashboardSecondPassBrowserTest {

    private static DashboardBrowser browser;

    @TestHTTPResource("/")
    URL server;

    @Inject
    ReportIngest ingest;

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

    private static String grid(String name, String lrValues, String batchValues) {
        return "name: " + name + "\nimage: python:3.12-slim\nprogram: train.py\nmethod: grid\n"
                + "metric:\n  name: loss\n  goal: minimize\n"
                + "parameters:\n  lr:\n    values: [" + lrValues + "]\n  batch:\n    values: [" + batchValues + "]\n";
    }

    /** A sweep whose runs reported the given final losses (two points each), summaries in. */
    private SweepScenario.Submitted trained(String yaml, double... finals) {
        await().atMost(DashboardBrowser.PATIENCE).until(ingest::ready);
        SweepScenario.Submitted sweep = SweepScenario.submit(yaml);
        try (Reports reports = new Reports()) {
            for (int i = 0; i < finals.length; i++) {
                reports.batch(sweep.runs().get(i).id(), 0, 0, List.of(Reports.point("loss", 0, 1.0, 0),
                        Reports.point("loss", 1, finals[i], 1)));
            }
        }
        SweepScenario.awaitSummaries(sweep.sweepId(), "loss", finals.length);
        return sweep;
    }

    private List<Long> tableIds() {
        return browser.all(".run-table tbody tr[data-run-id]").stream()
                .map(r -> Long.parseLong(r.getDomAttribute("data-run-id"))).toList();
    }

    /** Run id → the colour of its swatch in the table. */
    private Map<Long, String> swatches() {
        Map<Long, String> out = new HashMap<>();
        for (WebElement row : browser.all(".run-table tbody tr[data-run-id]")) {
            out.put(Long.parseLong(row.getDomAttribute("data-run-id")),
                    row.findElement(org.openqa.selenium.By.cssSelector(".swatch")).getDomAttribute("data-color"));
        }
        return out;
    }

    /** Series id → colour, as the chart drew them. */
    private Map<String, Object> chartColors(String css) {
        return JsonPath.from(browser.find(css).getDomAttribute("data-colors")).getMap("$");
    }

    private Object js(String script, Object... args) {
        return browser.driver().executeScript(script, args);
    }

    @Test
    void keepsEachRunsColourAndNumberAcrossSortingAndCompare() {
        SweepScenario.Submitted sweep = trained(grid(Sweeps.uniqueName(), "0.1, 0.01", "32, 64"), 0.4, 0.1, 0.3, 0.2);
        browser.open("/sweeps/" + sweep.sweepId());
        browser.until(() -> tableIds().size() == 4);
        browser.until(() -> browser.data(".sweep-chart", "series") == 4);
        Map<Long, String> before = swatches();
        Map<String, Object> chartBefore = chartColors(".sweep-chart");
        assertThat(new HashSet<>(before.values())).as("four runs, four colours").hasSize(4);
        before.forEach((id, color) -> assertThat(chartBefore.get(String.valueOf(id))).isEqualTo(color));

        browser.find("th[data-sort='metric:loss']").click();
        browser.until(() -> !tableIds().equals(sweep.runs().stream().map(SweepScenario.Run::id).toList()));
        browser.until(() -> chartColors(".sweep-chart").size() == 4);
        assertThat(swatches()).isEqualTo(before);
        assertThat(chartColors(".sweep-chart")).isEqualTo(chartBefore);

        // the number shown is the one in the URL: the table's link, the run page's title, the compare legend
        long first = tableIds().get(0);
        WebElement link = browser.find(".run-table tbody tr[data-run-id='" + first + "'] td.run-cell a");
        assertThat(link.getText()).isEqualTo(String.valueOf(first));
        link.click();
        browser.until(() -> browser.route().equals("/runs/" + first));
        browser.until(() -> browser.find("h1.run-title").getText().equals("Run " + first));
        browser.until(() -> chartColors(".chart[data-key='loss']").size() == 1);
        assertThat(chartColors(".chart[data-key='loss']").get(String.valueOf(first))).isEqualTo(before.get(first));

        long a = sweep.runs().get(0).id();
        long b = sweep.runs().get(3).id();
        browser.open("/compare?runs=" + a + "," + b);
        browser.until(() -> browser.data(".compare-chart[data-key='loss']", "series") == 2);
        browser.until(() -> chartColors(".compare-chart[data-key='loss']").size() == 2);
        assertThat(chartColors(".compare-chart[data-key='loss']"))
                .containsEntry(String.valueOf(a), before.get(a)).containsEntry(String.valueOf(b), before.get(b));
        assertThat(browser.find(".compare-runs").getText()).contains("run " + a, "run " + b);
    }

    @Test
    void linksAReRunAndItsOriginalBothWays() {
        SweepScenario.Submitted sweep = SweepScenario.submit(grid(Sweeps.uniqueName(), "0.1", "32"));
        long original = sweep.runs().get(0).id();
        long rerun = ((Number) given().contentType(ContentType.JSON).body("")
                .post("/api/v1/runs/{id}/rerun", original).then().statusCode(201).extract().path("runId")).longValue();

        browser.open("/runs/" + rerun);
        WebElement back = browser.find(".rerun-of a");
        assertThat(back.getDomAttribute("href")).isEqualTo("#/runs/" + original);
        browser.find("details#full-provenance > summary").click();
        browser.until(() -> !browser.all("dl[data-facts='provenance-record'] a[href='#/runs/" + original + "']")
                .isEmpty());

        browser.open("/runs/" + original);
        browser.find(".derived-runs .reruns a[data-run-id='" + rerun + "']");
        browser.open("/sweeps/" + sweep.sweepId());
        assertThat(browser.find(".sweep-derived .reruns a[data-run-id='" + rerun + "']").getDomAttribute("href"))
                .isEqualTo("#/runs/" + rerun);
    }

    @Test
    void refreshesOutputsAttemptsAndStateWhenTheRunEnds() {
        await().atMost(DashboardBrowser.PATIENCE).until(ingest::ready);
        SweepScenario.Submitted sweep = SweepScenario.submit(grid(Sweeps.uniqueName(), "0.1", "32"));
        SweepScenario.Run run = sweep.runs().get(0);
        scenario.running(List.of(run));
        browser.open("/runs/" + run.id());
        browser.find(".run-state[data-state='RUNNING']");
        browser.until(() -> !browser.find(".run-artifacts").getText().contains("loading"));
        assertThat(browser.find(".run-artifacts").getText()).contains("No files");
        js("window.reprisePageMarker = 'not reloaded'");

        // what an agent does at the end of an attempt: its outputs, its report, then the run's end
        Map<String, String> files = new LinkedHashMap<>();
        files.put("summary.json", "{\"loss\": 0.25}");
        JsonPath plan = given().contentType(ContentType.JSON).body(DataSnapshots.blobsJson(files))
                .post("/api/v1/runs/{id}/attempts/0/artifacts/uploads", run.id()).then().statusCode(200)
                .extract().jsonPath();
        DataSnapshots.uploadMissing(plan, files);
        given().contentType(ContentType.JSON).body("{\"manifest\":{\"entries\":" + DataSnapshots.entriesJson(files)
                + "}}").post("/api/v1/runs/{id}/attempts/0/artifacts", run.id()).then().statusCode(200);
        try (Reports reports = new Reports()) {
            SweepScenario.train(reports, run, 5);
            SweepScenario.agentLifecycle(reports, run, 5, 0);
        }
        scenario.succeeded(run);

        browser.until(() -> browser.all(".run-state[data-state='SUCCEEDED']").size() == 1);
        browser.until(() -> browser.find(".run-artifacts").getText().contains("summary.json"));
        browser.until(() -> browser.find("table.attempts-table tbody").getText().contains("COMPLETED"));
        assertThat(browser.find("table.attempts-table tbody").getText()).contains("gpu-node-");
        browser.until(() -> browser.data("pre.logs", "lines") == 11);
        assertThat(js("return window.reprisePageMarker")).as("the page updated itself, no reload")
                .isEqualTo("not reloaded");

        // the one-run sweep is over: the page says final, not live
        browser.open("/sweeps/" + sweep.sweepId());
        browser.find(".page-head .badge[data-state='SUCCEEDED']");
        browser.until(() -> browser.all(".live-dot.final").size() == 1);
        assertThat(browser.all(".live-dot.open")).isEmpty();
    }

    @Test
    void brushingTheParallelCoordinatesFiltersTheTableAndLogParametersGetALogAxis() {
        SweepScenario.Submitted sweep = trained(grid(Sweeps.uniqueName(), "0.001, 0.01, 0.1", "32, 64"),
                0.5, 0.4, 0.3, 0.2, 0.1, 0.05);
        browser.open("/sweeps/" + sweep.sweepId());
        browser.until(() -> browser.data(".parallel-chart", "lines") == 6);
        Map<String, Object> axes = JsonPath.from(browser.find(".parallel-chart").getDomAttribute("data-axes"))
                .getMap("$");
        assertThat(axes).containsEntry("lr", "log").containsEntry("batch", "value").containsEntry("loss", "value");
        browser.until(() -> tableIds().size() == 6);
        // lr alone nearly decides the loss here: the server's importance puts it first
        browser.until(() -> !browser.all(".importance span[data-parameter]").isEmpty());
        assertThat(browser.all(".importance span[data-parameter]").get(0).getDomAttribute("data-parameter"))
                .isEqualTo("lr");

        // what dragging along the lr axis from 0.005 to 0.2 does: lr 0.01 and 0.1 stay, four runs
        js("document.querySelector('.parallel-chart').reprise.brush('lr', 0.005, 0.2)");
        browser.until(() -> tableIds().size() == 4);
        assertThat(browser.find(".table-range").getDomAttribute("data-total")).isEqualTo("4");
        assertThat(browser.all(".run-table td[data-param='lr']")).extracting(WebElement::getText)
                .containsOnly("0.01", "0.1");
        assertThat(browser.find(".brush-note").getText()).contains("4 runs");

        browser.find(".brush-note a").click();
        browser.until(() -> tableIds().size() == 6);

        // a random search's log_uniform parameter: a log axis too
        SweepScenario.Submitted random = SweepScenario.submit(SweepScenario.randomSearch("lr-" + Sweeps.uniqueName(),
                "vision-" + Sweeps.uniqueName().substring(2, 8), 3));
        try (Reports reports = new Reports()) {
            random.runs().forEach(r -> SweepScenario.train(reports, r, 3));
        }
        SweepScenario.awaitSummaries(random.sweepId(), SweepScenario.OBJECTIVE, 3);
        browser.open("/sweeps/" + random.sweepId());
        browser.until(() -> browser.data(".parallel-chart", "lines") == 3);
        assertThat(JsonPath.from(browser.find(".parallel-chart").getDomAttribute("data-axes")).getMap("$"))
                .containsEntry("learning_rate", "log").containsEntry("dropout", "value");
    }

    @Test
    void exportsTheTableAsCsvAndKeepsSortFilterAndSelectionInTheUrl() {
        SweepScenario.Submitted sweep = trained(grid(Sweeps.uniqueName(), "0.1, 0.01", "32, 64"), 0.4, 0.1, 0.3, 0.2);
        List<Long> ids = sweep.runs().stream().map(SweepScenario.Run::id).toList();
        browser.open("/sweeps/" + sweep.sweepId());
        browser.until(() -> tableIds().size() == 4);
        browser.find("th[data-sort='metric:loss']").click();
        browser.until(() -> tableIds().equals(List.of(ids.get(1), ids.get(3), ids.get(2), ids.get(0))));

        browser.find("button.export-csv").click();
        browser.until(() -> !browser.all("a.last-download").isEmpty());
        WebElement download = browser.all("a.last-download").get(0);
        assertThat(download.getDomAttribute("download")).endsWith("-runs.csv");
        String href = download.getDomAttribute("href");
        String csv = URLDecoder.decode(href.substring(href.indexOf(',') + 1), StandardCharsets.UTF_8);
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo("run,trial,state,lr,batch,loss,best,started,finished");
        assertThat(lines).hasSize(5);
        assertThat(lines.get(1)).startsWith(ids.get(1) + ",1,").contains(",0.1,64,0.1,true,");
        assertThat(lines.get(4)).startsWith(ids.get(0) + ",0,").contains(",0.1,32,0.4,false,");

        // descending, only QUEUED runs, two selected: all in the URL, and back from it
        browser.find("th[data-sort='metric:loss']").click();
        browser.until(() -> tableIds().equals(List.of(ids.get(0), ids.get(2), ids.get(3), ids.get(1))));
        String state = browser.find(".run-table tbody tr[data-run-id]").getDomAttribute("data-state");
        browser.find(".state-filters button[data-filter='" + state + "']").click();
        browser.until(() -> "true".equals(browser.find(".state-filters button[data-filter='" + state + "']")
                .getDomAttribute("aria-pressed")));
        browser.find(".run-table tr[data-run-id='" + ids.get(2) + "'] input[type=checkbox]").click();
        browser.find(".run-table tr[data-run-id='" + ids.get(3) + "'] input[type=checkbox]").click();
        browser.until(() -> browser.route().contains("selected="));
        String route = browser.route();
        assertThat(route).contains("sort=-metric:loss", "state=" + state,
                "selected=" + ids.get(2) + "," + ids.get(3));

        browser.open("/sweeps");
        browser.find(".sweeps-table");
        browser.open(route);
        browser.until(() -> tableIds().equals(List.of(ids.get(0), ids.get(2), ids.get(3), ids.get(1))));
        assertThat(browser.find("th[data-sort='metric:loss']").getDomAttribute("aria-sort")).isEqualTo("descending");
        assertThat(browser.find(".state-filters button[data-filter='" + state + "']").getDomAttribute("aria-pressed"))
                .isEqualTo("true");
        assertThat(browser.find(".run-table tr[data-run-id='" + ids.get(2) + "'] input[type=checkbox]").isSelected())
                .isTrue();
        assertThat(browser.find(".run-table tr[data-run-id='" + ids.get(0) + "'] input[type=checkbox]").isSelected())
                .isFalse();
        assertThat(browser.find(".page-head button.compare").getText()).isEqualTo("Compare selected (2)");
    }

    @Test
    void noPageIsWiderThanAPhoneAt390Pixels() {
        SweepScenario.Submitted sweep = trained(grid(Sweeps.uniqueName(), "0.1, 0.01", "32, 64"), 0.4, 0.1, 0.3, 0.2);
        long run = sweep.runs().get(0).id();
        List<String> routes = List.of("/sweeps", "/sweeps/" + sweep.sweepId(), "/runs/" + run,
                "/compare?runs=" + run + "," + sweep.runs().get(1).id(), "/new", "/usage", "/sweeps/999999999");
        browser.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
        try {
            for (String route : routes) {
                browser.open(route);
                browser.find("main#app .page > *");
                browser.afterTwoFrames();
                browser.until(() -> ((Number) js("return document.documentElement.scrollWidth")).longValue() > 0);
                long width = ((Number) js("return document.documentElement.scrollWidth")).longValue();
                long viewport = ((Number) js("return window.innerWidth")).longValue();
                assertThat(width).as("page width of %s at a 390-px viewport", route).isLessThanOrEqualTo(viewport);
                assertThat(viewport).isEqualTo(390);
            }
            // the top bar keeps "Sign out" on one line
            assertThat(browser.find("#logout").getSize().getHeight()).isLessThan(30);
            browser.open("/sweeps/" + sweep.sweepId());
            browser.until(() -> tableIds().size() == 4);
            phoneScreenshot("sweep-390px");
        } finally {
            browser.driver().executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    /** A full-page picture at the 390-px viewport (the window stays as it is; the emulated screen grows). */
    private void phoneScreenshot(String name) {
        long height = ((Number) js("return Math.ceil(document.documentElement.scrollHeight)")).longValue();
        browser.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 390,
                "height", (int) Math.min(Math.max(height, 844), 6000), "deviceScaleFactor", 1, "mobile", true));
        browser.afterTwoFrames();
        try {
            java.nio.file.Files.createDirectories(DashboardBrowser.SCREENSHOTS);
            java.nio.file.Files.write(DashboardBrowser.SCREENSHOTS.resolve(name + ".png"),
                    browser.driver().getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void followsTheBrowsersDarkPreferenceAndTheToggle() {
        String project = "dark-" + Sweeps.uniqueName().substring(2, 8);
        Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "project: " + project + "\n")).statusCode(201);
        browser.open("/sweeps?project=" + project);
        browser.find(".sweeps-table");
        js("localStorage.removeItem('reprise.theme')");
        browser.driver().executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        try {
            browser.driver().navigate().refresh();
            browser.find(".sweeps-table");
            assertThat(js("return document.documentElement.dataset.theme")).isEqualTo("dark");
            assertThat(luminance(js("return getComputedStyle(document.documentElement).backgroundColor"))).isLessThan(0.1);
            assertThat(luminance(js("return getComputedStyle(document.querySelector('main')).color")))
                    .isGreaterThan(0.6);
            // the signed-in user and Sign out are light on the dark top bar, in either theme
            assertThat(luminance(js("return getComputedStyle(document.getElementById('who')).color")))
                    .isGreaterThan(0.6);
            assertThat(luminance(js("return getComputedStyle(document.getElementById('logout')).color")))
                    .isGreaterThan(0.6);
            browser.screenshot("sweeps-dark");

            browser.find("#theme-toggle").click();
            browser.until(() -> "light".equals(js("return document.documentElement.dataset.theme")));
            assertThat(luminance(js("return getComputedStyle(document.documentElement).backgroundColor"))).isGreaterThan(0.9);
            browser.driver().navigate().refresh();
            browser.find(".sweeps-table");
            assertThat(js("return document.documentElement.dataset.theme")).as("the choice is remembered")
                    .isEqualTo("light");
            assertThat(luminance(js("return getComputedStyle(document.getElementById('who')).color")))
                    .isGreaterThan(0.6);
        } finally {
            js("localStorage.removeItem('reprise.theme')");
            browser.driver().executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        }
    }

    /** Relative luminance (0 black to 1 white) of a CSS rgb()/rgba() colour. */
    private static double luminance(Object css) {
        String[] parts = String.valueOf(css).replaceAll("[^0-9.,]", "").split(",");
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Double.parseDouble(parts[i]) / 255;
            c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    @Test
    void logsNoConsoleErrorsOnAnyPageFromTheFirstLoadOn() {
        SweepScenario.Submitted sweep = trained(grid(Sweeps.uniqueName(), "0.1, 0.01", "32"), 0.4, 0.1);
        // a new sweep whose runs have reported nothing yet: its charts must not ask for series that are not there
        SweepScenario.Submitted fresh = SweepScenario.submit(grid(Sweeps.uniqueName(), "0.1, 0.01", "32"));
        long run = sweep.runs().get(0).id();
        List<String> routes = List.of("/sweeps", "/sweeps/" + sweep.sweepId(), "/sweeps/" + fresh.sweepId(),
                "/runs/" + run, "/runs/" + fresh.runs().get(0).id(),
                "/compare?runs=" + run + "," + sweep.runs().get(1).id(),
                "/compare?runs=" + run + "," + fresh.runs().get(0).id(), "/new", "/usage",
                "/sweeps/987654321", "/runs/987654321", "/no-such-page");
        // a browser of its own, so that its log holds the very first load (the sign-in form) too
        try (DashboardBrowser first = new DashboardBrowser(server)) {
            List<String> errors = new ArrayList<>(severe(first));
            for (String route : routes) {
                first.open(route);
                first.find("main#app .page > *, main#app .not-found, main#app .alert");
                first.until(() -> first.all(".chart[data-key]:not([data-loaded='true'])").isEmpty());
                first.afterTwoFrames();
                if (route.contains("987654321") || route.equals("/no-such-page")) {
                    first.find(".not-found");
                }
                // the not-found pages ask for the one thing that is not there: that 404 is the page's point
                severe(first).stream().filter(m -> !(m.contains("/987654321 ") && m.contains("404")))
                        .map(m -> route + ": " + m).forEach(errors::add);
            }
            assertThat(errors).as("console errors and failed requests").isEmpty();
        }
    }

    private static List<String> severe(DashboardBrowser b) {
        return b.driver().manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }
}
