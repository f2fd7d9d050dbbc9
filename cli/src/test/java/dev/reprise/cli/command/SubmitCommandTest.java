package dev.reprise.cli.command;

import static dev.reprise.cli.Reprise.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reprise.cli.RecordedRequest;
import dev.reprise.cli.Reprise;
import dev.reprise.cli.Reprise.Result;
import dev.reprise.cli.ScriptedServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubmitCommandTest {
    private final ScriptedServer server = ScriptedServer.start();

    @TempDir
    private Path dir;

    private Map<String, String> env;

    @BeforeEach
    void environment() {
        env = Map.of("XDG_CONFIG_HOME", dir.resolve("config").toString(), "REPRISE_SERVER", server.uri().toString());
        server.replyJson("POST", "/api/v1/sweeps", 201, fixture("responses/sweep.json"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void postsTheYamlFileByteForByteAsApplicationYaml() throws IOException {
        byte[] yaml = "# Grüße\r\nname: digits-grid\r\nmethod: grid\r\n".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("digits-grid.yaml"), yaml);

        Result result = Reprise.run(env, "submit", file.toString());

        assertThat(result.exitCode()).isZero();
        RecordedRequest request = server.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v1/sweeps");
        assertThat(request.rawQuery()).isNull();
        assertThat(request.header("Content-Type")).contains("application/yaml");
        assertThat(request.body()).isEqualTo(yaml);
    }

    @ParameterizedTest(name = "{0} is sent as {2}")
    @CsvSource(delimiter = '|', value = {
        "sweep.yml  | name: a          | application/yaml",
        "sweep.json | {\"name\": \"a\"} | application/json",
        "sweep.JSON | {\"name\": \"a\"} | application/json",
        "sweep.txt  | {\"name\": \"a\"} | application/json",
        "sweep      | name: a          | application/yaml"})
    void choosesTheContentTypeFromTheExtensionElseFromTheContent(String name, String content, String contentType)
            throws IOException {
        Path file = Files.writeString(dir.resolve(name), content);

        Reprise.run(env, "submit", file.toString());

        assertThat(server.onlyRequest().header("Content-Type")).contains(contentType);
        assertThat(server.onlyRequest().bodyText()).isEqualTo(content);
    }

    @Test
    void sendsTheProjectAsQueryParameterSoItOverridesTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("sweep.yaml"), fixture("sweeps/digits-grid.yaml"));

        Reprise.run(env, "submit", file.toString(), "--project", "vision team");

        assertThat(server.onlyRequest().query()).containsExactly(Map.entry("project", "vision team"));
    }

    @Test
    void printsTheSweepIdNameRunCountAndMethod() throws IOException {
        Path file = Files.writeString(dir.resolve("sweep.yaml"), fixture("sweeps/digits-grid.yaml"));

        Result result = Reprise.run(env, "submit", file.toString());

        assertThat(result.out()).isEqualTo("Submitted sweep 12 (digits-grid): 12 runs, method grid\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void printsTheServersJsonPrettyPrintedWithJsonOutput() throws IOException {
        Path file = Files.writeString(dir.resolve("sweep.yaml"), fixture("sweeps/digits-grid.yaml"));

        Result result = Reprise.run(env, "submit", file.toString(), "-o", "json");

        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(result.out())).isEqualTo(mapper.readTree(fixture("responses/sweep.json")));
        assertThat(result.out()).startsWith("{\n  \"id\": 12,\n").contains("\"labels\": {").endsWith("}\n");
    }

    @Test
    void printsTheProblemWithOneLinePerFieldErrorAndExitsOne() throws IOException {
        server.replyProblem("POST", "/api/v1/sweeps", 422, fixture("responses/problem-invalid-sweep.json"));
        Path file = Files.writeString(dir.resolve("sweep.yaml"), fixture("sweeps/digits-grid.yaml"));

        Result result = Reprise.run(env, "submit", file.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("""
                Error 422 Invalid sweep: The sweep has 2 invalid fields
                  parameters.lr.min: min (5.0) must not exceed max (1.0)
                  metric.goal: must be maximize or minimize
                """);
    }

    @Test
    void reportsAMissingFileAndExitsTwoWithoutContactingTheServer() {
        Path missing = dir.resolve("nope.yaml");

        Result result = Reprise.run(env, "submit", missing.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("Cannot read sweep file '" + missing + "': no such file\n");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void reportsADirectoryGivenAsFileAndExitsTwo() {
        Result result = Reprise.run(env, "submit", dir.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("it is a directory");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void reportsAnEmptyFileAndExitsTwo() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "  \n");

        Result result = Reprise.run(env, "submit", empty.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("the file is empty");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void asksForTheFileWhenItIsMissingFromTheCommandLine() {
        Result result = Reprise.run(env, "submit");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing required parameter: 'FILE'").contains("reprise submit --help");
    }
}
