package dev.reprise.orchestrator.execution.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.cli.RepriseCli;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test, end to end with real processes: the deterministic digits trainer
 * (examples/trainers/DigitsMlp.java) on a data snapshot of examples/data/digits, through the local executor and the
 * real agent, Kafka ingest and PostgreSQL. Re-running a run gives {@code reproduced}; running it on a changed
 * snapshot gives {@code diverged} with the snapshot named as the difference.
 */
@QuarkusTest
@TestProfile(LocalExecutorProfile.class)
class ReproducibilityAcceptanceTest {

    private static final List<String> METRICS = List.of("loss", "val_loss", "val_accuracy");
    private static final int EPOCHS = 3;

    @TestHTTPResource("/")
    URL server;

    @TempDir
    Path tmp;

    private record Cli(int exit, String out, String err) {
    }

    private Cli reprise(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = RepriseCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true),
                Map.of("REPRISE_SERVER", server.toString(), "XDG_CONFIG_HOME", tmp.toString(), "HOME", tmp.toString(),
                        "REPRISE_TOKEN", dev.reprise.orchestrator.security.TestCredentials.ADMIN_TOKEN));
        return new Cli(exit, out.toString(), err.toString());
    }

    private static JsonPath run(long id) {
        return given().get("/api/v1/runs/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the run succeeded and every epoch's metrics are stored. */
    private static void awaitTrained(long id) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String state = run(id).getString("state");
            assertThat(state).as("run " + id).isIn("QUEUED", "LAUNCHING", "RUNNING", "SUCCEEDED");
            if (!"SUCCEEDED".equals(state)) {
                return false;
            }
            List<Map<String, Object>> keys = given().get("/api/v1/runs/{id}/metrics", id).then().statusCode(200)
                    .extract().jsonPath().getList("keys");
            return METRICS.stream().allMatch(k -> keys.stream().anyMatch(s -> k.equals(s.get("key"))
                    && ((Number) s.get("points")).intValue() == EPOCHS));
        });
    }

    private static long firstRun(int sweepId) {
        return ((Number) given().get("/api/v1/sweeps/{id}/runs", sweepId).then().statusCode(200).extract()
                .path("items[0].id")).longValue();
    }

    /** The digits data with its last third dropped: another snapshot, other training. */
    private static void writeChangedDigits(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path source = Path.of("..", "examples", "data", "digits", "digits.csv.gz");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(source)), StandardCharsets.US_ASCII));
                Writer out = new OutputStreamWriter(new GZIPOutputStream(
                        Files.newOutputStream(dir.resolve("digits.csv.gz"))), StandardCharsets.US_ASCII)) {
            List<String> lines = in.lines().toList();
            for (String line : lines.subList(0, lines.size() * 2 / 3)) {
                out.write(line);
                out.write('\n');
            }
        }
    }

    @Test
    void aRerunReproducesAndAChangedSnapshotDivergesNamingTheSnapshot() throws IOException {
        String data = "digits-" + UUID.randomUUID().toString().substring(0, 8);
        Cli pushed = reprise("data", "push", Path.of("..", "examples", "data", "digits").toString(), "--name", data,
                "--tag", "v1");
        assertThat(pushed.exit()).as(pushed.err()).isZero();
        String yaml = "name: acceptance-" + UUID.randomUUID().toString().substring(0, 8) + "\n"
                + "image: eclipse-temurin:17-jdk\n"
                + "command: [java, examples/trainers/DigitsMlp.java, '${args}']\n"
                + "method: grid\nqueue: local\nmetric: {name: val_accuracy, goal: maximize}\n"
                + "parameters:\n  learning_rate: {value: 0.1}\n  hidden_units: {value: 16}\n"
                + "  epochs: {value: " + EPOCHS + "}\n"
                + "data:\n  snapshot: " + data + ":v1\n";
        int sweep = RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("id");
        long original = firstRun(sweep);
        awaitTrained(original);

        Cli rerun = reprise("rerun", String.valueOf(original), "-o", "json");
        assertThat(rerun.exit()).as(rerun.err()).isZero();
        long copy = JsonPath.from(rerun.out()).getLong("runId");
        awaitTrained(copy);

        Cli same = reprise("compare", String.valueOf(original), String.valueOf(copy), "--rtol", "0", "--atol", "0",
                "-o", "json");
        assertThat(same.exit()).as(same.out() + same.err()).isZero();
        JsonPath reproduced = JsonPath.from(same.out());
        assertThat(reproduced.getString("verdict")).isEqualTo("reproduced");
        assertThat(reproduced.getList("differences")).isEmpty();
        assertThat(reproduced.getList("metrics.key")).containsAll(METRICS);
        assertThat(reproduced.getList("metrics.commonSteps", Integer.class)).allMatch(n -> n == EPOCHS);

        Path changed = tmp.resolve("digits-changed");
        writeChangedDigits(changed);
        Cli pushedChanged = reprise("data", "push", changed.toString(), "--name", data, "--tag", "v2");
        assertThat(pushedChanged.exit()).as(pushedChanged.err()).isZero();
        Cli cloned = reprise("clone", String.valueOf(sweep), "--set", "data.snapshot=" + data + ":v2", "-o", "json");
        assertThat(cloned.exit()).as(cloned.err()).isZero();
        long other = firstRun(JsonPath.from(cloned.out()).getInt("id"));
        awaitTrained(other);

        Cli different = reprise("compare", String.valueOf(original), String.valueOf(other), "-o", "json");
        assertThat(different.exit()).as(different.out() + different.err()).isEqualTo(5);
        JsonPath diverged = JsonPath.from(different.out());
        assertThat(diverged.getString("verdict")).isEqualTo("diverged");
        assertThat(diverged.getList("differences", String.class)).contains("data.snapshotId")
                .anyMatch(d -> d.startsWith("metrics."))
                .noneMatch(d -> d.startsWith("parameters.") || d.equals("seed") || d.startsWith("image."));
        assertThat(diverged.getString("summary")).contains("data.snapshotId");
        Cli text = reprise("compare", String.valueOf(original), String.valueOf(other));
        assertThat(text.out()).contains("DIVERGED").contains("data.snapshotId");
    }
}
