package dev.reprise.orchestrator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The monitoring objects of the chart and of k8s/monitoring: rendered by real Helm (helm-java), a ServiceMonitor only
 * when asked for, scraping the Service's http port at /q/metrics, and the Grafana dashboard shipped unchanged. Which
 * metrics the dashboard's queries name is checked against a live scrape in {@code PrometheusMetricsTest}.
 */
class MonitoringAssetsTest {

    static final Path CHART = Path.of("..", "helm", "reprise");
    static final Path DASHBOARD = CHART.resolve("files/grafana-dashboard.json");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> render(String... sets) throws IOException {
        var template = new Helm(CHART).template().withName("rp").withNamespace("ml");
        for (int i = 0; i < sets.length; i += 2) {
            template.set(sets[i], sets[i + 1]);
        }
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(template.call())) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext();) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static List<String> kinds(List<JsonNode> docs) {
        return docs.stream().map(d -> d.path("kind").asText()).toList();
    }

    @Test
    void theChartRendersNoMonitoringObjectsUnlessAskedTo() throws IOException {
        assertThat(kinds(render())).doesNotContain("ServiceMonitor").contains("Service", "Deployment");
        assertThat(render().stream().filter(d -> d.path("metadata").path("name").asText().endsWith("grafana-dashboard")))
                .isEmpty();
    }

    @Test
    void theServiceMonitorScrapesTheServicesHttpPortAtTheMetricsPath() throws IOException {
        List<JsonNode> docs = render("metrics.serviceMonitor.enabled", "true", "metrics.serviceMonitor.labels.release",
                "kube-prometheus", "metrics.serviceMonitor.interval", "15s");
        JsonNode monitor = docs.stream().filter(d -> d.path("kind").asText().equals("ServiceMonitor")).findFirst()
                .orElseThrow();
        JsonNode service = docs.stream().filter(d -> d.path("kind").asText().equals("Service")).findFirst()
                .orElseThrow();
        assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.path("metadata").path("namespace").asText()).isEqualTo("ml");
        assertThat(monitor.path("metadata").path("labels").path("release").asText()).isEqualTo("kube-prometheus");
        assertThat(monitor.path("spec").path("selector").path("matchLabels"))
                .isEqualTo(service.path("spec").path("selector"));
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        assertThat(endpoint.path("interval").asText()).isEqualTo("15s");
        assertThat(service.path("spec").path("ports").findValuesAsText("name")).contains(endpoint.path("port").asText());
    }

    @Test
    void theDashboardConfigMapCarriesTheDashboardUnchangedWithTheSidecarLabel() throws IOException {
        JsonNode map = render("metrics.grafanaDashboard.enabled", "true").stream()
                .filter(d -> d.path("metadata").path("name").asText().endsWith("-grafana-dashboard"))
                .findFirst().orElseThrow();
        assertThat(map.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(map.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
        assertThat(JSON.readTree(map.path("data").path("reprise.json").asText()))
                .isEqualTo(JSON.readTree(DASHBOARD.toFile()));
    }

    @Test
    void theManifestsShipTheSameDashboardAsTheChart() throws IOException {
        assertThat(Files.readString(Path.of("..", "k8s", "monitoring", "grafana-dashboard.json")))
                .isEqualTo(Files.readString(DASHBOARD));
        JsonNode monitor = YAML.readTree(Path.of("..", "k8s", "monitoring", "servicemonitor.yaml").toFile());
        assertThat(monitor.path("spec").path("endpoints").get(0).path("path").asText()).isEqualTo("/q/metrics");
    }

    @Test
    void theDashboardIsAGrafanaDashboardWhosePanelsQueryThePrometheusInput() throws IOException {
        JsonNode d = JSON.readTree(DASHBOARD.toFile());
        assertThat(d.path("schemaVersion").asInt()).isPositive();
        assertThat(d.path("uid").asText()).isNotBlank();
        assertThat(d.path("title").asText()).isNotBlank();
        assertThat(d.path("__inputs").findValuesAsText("name")).containsExactly("DS_PROMETHEUS");
        assertThat(d.path("panels")).isNotEmpty();
        for (JsonNode p : d.path("panels")) {
            assertThat(p.path("title").asText()).as("panel %s", p.path("id")).isNotBlank();
            assertThat(p.path("type").asText()).isEqualTo("timeseries");
            assertThat(p.path("gridPos").path("w").asInt()).isPositive();
            assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
            assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty();
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("expr").asText()).isNotBlank();
                assertThat(t.path("refId").asText()).isNotBlank();
            }
        }
    }
}
