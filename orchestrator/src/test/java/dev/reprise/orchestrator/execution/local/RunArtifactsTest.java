package dev.reprise.orchestrator.execution.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.reprise.cli.RepriseCli;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RedirectConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent uploads a run's REPRISE_OUTPUT_DIR to the real object store when the command ends, also when it is
 * stopped; the orchestrator archives the log stream; both can be listed and downloaded afterwards.
 */
@QuarkusTest
@TestProfile(LocalExecutorProfile.class)
class RunArtifactsTest {

    @TestHTTPResource("/")
    URL server;

    @TempDir
    Path tmp;

    private static int submit(String command) {
        String yaml = "name: a-" + UUID.randomUUID().toString().substring(0, 12) + "\nimage: local\n"
                + "command: " + command + "\nmethod: grid\nqueue: local\nparameters:\n  i: {value: 1}\n";
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("id");
    }

    private static long firstRun(int sweepId) {
        return ((Number) given().get("/api/v1/sweeps/{id}/runs", sweepId).then().statusCode(200).extract()
                .path("items[0].id")).longValue();
    }

    private static JsonPath artifacts(long run) {
        return given().get("/api/v1/runs/{id}/artifacts", run).then().statusCode(200).extract().jsonPath();
    }

    private static byte[] follow(String location) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static String redirect(String path, Object... params) {
        return given().config(RestAssured.config().redirect(RedirectConfig.redirectConfig().followRedirects(false)))
                .get(path, params).then().statusCode(307).extract().header("Location");
    }

    @Test
    void outputsAndLogsOutliveTheTrialAndDownloadByteForByte() throws Exception {
        String marker = UUID.randomUUID().toString();
        int sweep = submit("[sh, -c, 'echo training " + marker + "; echo oops >&2; mkdir -p \"$REPRISE_OUTPUT_DIR/ckpt\"; "
                + "printf \"" + marker + "\" > \"$REPRISE_OUTPUT_DIR/ckpt/model.bin\"; "
                + "echo \"{}\" > \"$REPRISE_OUTPUT_DIR/summary.json\"']");
        long run = firstRun(sweep);

        await().atMost(Duration.ofSeconds(90)).until(() -> artifacts(run).getList("files").size() == 2);
        JsonPath listing = artifacts(run);
        assertThat(listing.getInt("attempt")).isZero();
        assertThat(listing.getList("files.path", String.class)).containsExactly("ckpt/model.bin", "summary.json");
        assertThat(listing.getString("manifestId")).matches("sha256:[0-9a-f]{64}");
        assertThat(follow(redirect("/api/v1/runs/{id}/artifacts/ckpt/model.bin", run)))
                .isEqualTo(marker.getBytes(StandardCharsets.UTF_8));

        // the CLI downloads and verifies it too
        Path out = tmp.resolve("model.bin");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int exit = RepriseCli.execute(new String[] {"artifacts", "get", String.valueOf(run), "ckpt/model.bin", "-O",
                out.toString()}, new PrintWriter(o, true), new PrintWriter(e, true),
                Map.of("REPRISE_SERVER", server.toString(), "XDG_CONFIG_HOME", tmp.toString(), "HOME", tmp.toString(),
                        "REPRISE_TOKEN", dev.reprise.orchestrator.security.TestCredentials.ADMIN_TOKEN));
        assertThat(exit).as(e.toString()).isZero();
        assertThat(out).hasContent(marker);

        await().atMost(Duration.ofSeconds(60)).until(() -> artifacts(run).getList("logs").size() == 1);
        byte[] gz = follow(redirect("/api/v1/runs/{id}/logs/archive", run));
        String log = new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(log).contains("training " + marker).contains("[stderr] oops");
    }

    @Test
    void aStoppedTrialStillUploadsWhatItWrote() {
        String marker = UUID.randomUUID().toString();
        int sweep = submit("[sh, -c, 'printf " + marker + " > \"$REPRISE_OUTPUT_DIR/partial.txt\"; exec sleep 300']");
        long run = firstRun(sweep);
        await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING".equals(given().get("/api/v1/runs/{id}", run)
                .then().extract().path("state")) && Files.exists(Path.of(LocalExecutorProfile.WORK_DIR, run + "-0",
                "output", "partial.txt")));

        given().post("/api/v1/sweeps/{id}/cancel", sweep).then().statusCode(200);

        await().atMost(Duration.ofSeconds(60)).until(() -> artifacts(run).getList("files.path").contains("partial.txt"));
    }

    @Test
    void badArtifactRequestsAreProblems() {
        // a link out of the output directory is not uploaded: only a.txt is
        int sweep = submit("[sh, -c, 'echo x > \"$REPRISE_OUTPUT_DIR/a.txt\"; "
                + "ln -s /etc/passwd \"$REPRISE_OUTPUT_DIR/passwd\"']");
        long run = firstRun(sweep);
        await().atMost(Duration.ofSeconds(90)).until(() -> artifacts(run).getList("files").size() == 1);

        given().urlEncodingEnabled(false).get("/api/v1/runs/" + run + "/artifacts/x%5C..%5C..%5Ca.txt").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("path"));
        given().urlEncodingEnabled(false).get("/api/v1/runs/" + run + "/artifacts/.%2Fa.txt").then()
                .statusCode(400).body("errors[0].field", equalTo("path"));
        // encoded slashes and dot segments never reach a file outside the run's listing
        given().urlEncodingEnabled(false).get("/api/v1/runs/" + run + "/artifacts/..%2F..%2Fetc%2Fpasswd").then()
                .statusCode(org.hamcrest.Matchers.anyOf(equalTo(400), equalTo(404)))
                .contentType("application/problem+json");
        given().get("/api/v1/runs/{id}/artifacts/nope.txt", run).then().statusCode(404);
        given().get("/api/v1/runs/{id}/artifacts", Long.MAX_VALUE).then().statusCode(404);
        given().get("/api/v1/runs/{id}/logs/archive?attempt=7", run).then().statusCode(404);
        given().contentType("application/json").body("{\"manifest\":{\"entries\":[{\"path\":\"../x\",\"size\":1,"
                + "\"sha256\":\"" + "a".repeat(64) + "\",\"mode\":420}]}}")
                .post("/api/v1/runs/{id}/attempts/0/artifacts", run).then().statusCode(422)
                .body("errors[0].field", equalTo("manifest.entries[0]"));
        given().contentType("application/json").body("{\"manifest\":{\"entries\":[{\"path\":\"b.txt\",\"size\":1,"
                + "\"sha256\":\"" + "a".repeat(64) + "\",\"mode\":420}]}}")
                .post("/api/v1/runs/{id}/attempts/0/artifacts", run).then().statusCode(422);
        given().contentType("application/json").body("{\"blobs\":[]}")
                .post("/api/v1/runs/{id}/attempts/5/artifacts/uploads", run).then().statusCode(409)
                .body("errors[0].field", equalTo("attempt"));
        // nothing of the refused commits replaced the agent's upload
        assertThat(artifacts(run).getList("files.path")).isEqualTo(List.of("a.txt"));
    }
}
