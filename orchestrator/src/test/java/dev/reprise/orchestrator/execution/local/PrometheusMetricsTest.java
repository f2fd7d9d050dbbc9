package dev.reprise.orchestrator.execution.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * /q/metrics during a real sweep on the local executor: the queue gauges follow the trials (running while they run,
 * succeeded after), the launch counter, the scheduler's round timer, the ingest's point counter and consumer lag and
 * the API's request timer move; and every metric the Grafana dashboard queries is one the orchestrator exports.
 */
@QuarkusTest
@TestProfile(LocalExecutorProfile.class)
class PrometheusMetricsTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset");

    /** Every sample of a scrape, by name and label set as printed ({@code name{labels}}). */
    private static Map<String, Double> scrape() {
        Map<String, Double> samples = new HashMap<>();
        for (String line : given().get("/q/metrics").then().statusCode(200).extract().asString().split("\n")) {
            Matcher m = SAMPLE.matcher(line.strip());
            if (!line.startsWith("#") && m.matches()) {
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }

    /** The sum of the samples of {@code name} whose labels include every one of {@code labels} ("k=\"v\""). */
    private static double value(Map<String, Double> samples, String name, String... labels) {
        double sum = 0;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String key = e.getKey();
            boolean named = key.equals(name) || key.startsWith(name + "{");
            boolean labelled = true;
            for (String l : labels) {
                labelled &= key.contains(l);
            }
            if (named && labelled) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    private static int submit(String command, int trials) {
        StringBuilder values = new StringBuilder();
        for (int i = 1; i <= trials; i++) {
            values.append(i == 1 ? "" : ", ").append(i);
        }
        String yaml = "name: metrics-" + UUID.randomUUID().toString().substring(0, 8) + "\nimage: local\nqueue: local\n"
                + "command: " + command + "\nmethod: grid\nparallelism: " + trials
                + "\nmetric: {name: loss, goal: minimize}\nparameters:\n"
                + "  i: {values: [" + values + "]}\n";
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps").then().statusCode(201)
                .extract().path("id");
    }

    private static String status(int sweep) {
        return given().get("/api/v1/sweeps/{id}", sweep).then().statusCode(200).extract().path("status");
    }

    @Test
    void queueGaugesAndCountersFollowASweepWhileItRuns() throws IOException {
        Map<String, Double> before = scrape();
        Path go = Path.of("target", "metrics-go-" + UUID.randomUUID()).toAbsolutePath();
        // each trial reports a point, then holds its slot until the test has seen it running
        int sweep = submit("[sh, -c, 'echo \"{\\\"loss\\\": 1.0}\"; while [ ! -e " + go + " ]; do sleep 0.1; done; "
                + "echo \"{\\\"loss\\\": 0.5}\"']", 2);

        try {
            awaitBothRunning(before);
        } finally {
            Files.createFile(go); // also when the wait failed: the trials must not outlive the test
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> "SUCCEEDED".equals(status(sweep)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Double> now = scrape();
            assertThat(value(now, "reprise_trials", "queue=\"local\"", "state=\"RUNNING\"")).isZero();
            assertThat(value(now, "reprise_trials", "queue=\"local\"", "state=\"SUCCEEDED\""))
                    .isGreaterThanOrEqualTo(value(before, "reprise_trials", "queue=\"local\"",
                            "state=\"SUCCEEDED\"") + 2);
            assertThat(value(now, "reprise_queue_depth", "queue=\"local\"")).isZero();
            assertThat(value(now, "reprise_ingest_points_total", "result=\"stored\""))
                    .isGreaterThanOrEqualTo(value(before, "reprise_ingest_points_total", "result=\"stored\"") + 4);
            assertThat(value(now, "reprise_scheduler_round_seconds_count"))
                    .isGreaterThan(value(before, "reprise_scheduler_round_seconds_count"));
            assertThat(value(now, "http_server_requests_seconds_count", "uri=\"/api/v1/sweeps\"", "method=\"POST\""))
                    .isGreaterThanOrEqualTo(1);
            assertThat(now.keySet()).anyMatch(k -> k.startsWith("reprise_ingest_consumer_lag{"));
        });
    }

    private static void awaitBothRunning(Map<String, Double> before) {
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            Map<String, Double> now = scrape();
            assertThat(value(now, "reprise_trials", "queue=\"local\"", "state=\"RUNNING\"")).isEqualTo(2);
            assertThat(value(now, "reprise_queue_running", "queue=\"local\"")).isEqualTo(2);
            assertThat(value(now, "reprise_launches_total", "queue=\"local\""))
                    .isEqualTo(value(before, "reprise_launches_total", "queue=\"local\"") + 2);
            assertThat(value(now, "reprise_ingest_points_total", "result=\"stored\""))
                    .isGreaterThanOrEqualTo(value(before, "reprise_ingest_points_total", "result=\"stored\"") + 2);
        });
    }

    @Test
    void everyMetricTheGrafanaDashboardQueriesIsExported() throws IOException {
        // one finished trial, so that the counters that appear with their first event exist
        int sweep = submit("[sh, -c, 'echo \"{\\\"loss\\\": 1.0}\"']", 1);
        await().atMost(Duration.ofMinutes(2)).until(() -> "SUCCEEDED".equals(status(sweep)));
        Set<String> exported = new TreeSet<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            exported.clear();
            scrape().keySet().forEach(k -> exported.add(k.contains("{") ? k.substring(0, k.indexOf('{')) : k));
            assertThat(exported).contains("reprise_launches_total", "reprise_scheduler_round_seconds_count");
        });
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("..", "helm", "reprise", "files",
                "grafana-dashboard.json").toFile());
        Set<String> queried = new TreeSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            queried.addAll(metricNames(expr.asText()));
        }
        queried.addAll(metricNames(dashboard.path("templating").path("list").get(0).path("definition").asText()
                .replaceAll("^label_values\\(([^,]+),.*$", "$1")));
        assertThat(queried).as("metrics named by the dashboard").hasSizeGreaterThan(10);
        assertThat(exported).as("exported metrics").containsAll(queried);
    }

    /** The metric names in a PromQL expression: identifiers outside label matchers, ranges and grouping clauses. */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"[^\"]*\"", "").replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(bare);
        while (m.find()) {
            String word = m.group().replaceAll("\\s*\\($", "");
            boolean function = m.group().endsWith("(");
            if (!function && !PROMQL_WORDS.contains(word) && !word.matches("\\d.*")) {
                names.add(word);
            }
        }
        return names;
    }
}
