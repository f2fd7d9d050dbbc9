package dev.reprise.cli;

import static dev.reprise.cli.Reprise.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.Reprise.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every command shares: global options, headers, exit codes and how failures are reported. */
class RepriseCliTest extends ScriptedServerTest {

    @BeforeEach
    void environment() {
        server.replyJson("GET", "/api/v1/sweeps/12", 200, fixture("responses/sweep.json"));
    }

    @Test
    void sendsTheTokenAsBearerAuthorization() {
        Reprise.run(env, "sweep", "12", "--token", "s3cret");

        assertThat(server.onlyRequest().header("Authorization")).contains("Bearer s3cret");
    }

    @Test
    void sendsNoAuthorizationHeaderWithoutAToken() {
        Reprise.run(env, "sweep", "12");

        assertThat(server.onlyRequest().header("Authorization")).isEmpty();
    }

    @Test
    void asksForJsonAndNamesItselfInTheUserAgent() {
        Reprise.run(env, "sweep", "12");

        assertThat(server.onlyRequest().header("Accept")).contains("application/json, application/problem+json");
        assertThat(server.onlyRequest().header("User-Agent")).hasValueSatisfying(ua -> assertThat(ua).startsWith("reprise-cli/"));
    }

    @Test
    void acceptsGlobalOptionsBeforeAndAfterTheCommand() {
        Result before = Reprise.run(Map.of("XDG_CONFIG_HOME", dir.toString()),
                "--server", server.uri().toString(), "-o", "json", "sweep", "12");
        Result after = Reprise.run(Map.of("XDG_CONFIG_HOME", dir.toString()),
                "sweep", "12", "--server", server.uri().toString(), "-o", "json");

        assertThat(before.exitCode()).isZero();
        assertThat(before.out()).startsWith("{\n").isEqualTo(after.out());
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void acceptsTheOutputFormatInAnyCase() {
        assertThat(Reprise.run(env, "sweep", "12", "-o", "JSON").out()).startsWith("{\n");
        assertThat(Reprise.run(env, "sweep", "12", "-o", "Table").out()).startsWith("ID:");
    }

    @Test
    void rejectsAnUnknownOutputFormatAsUsageError() {
        Result result = Reprise.run(env, "sweep", "12", "-o", "yaml");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("yaml");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void keepsThePathOfAServerUrlBehindAProxy() {
        server.replyJson("GET", "/reprise/api/v1/sweeps/12", 200, fixture("responses/sweep.json"));

        Result result = Reprise.run(env, "sweep", "12", "--server", server.uri() + "/reprise/");

        assertThat(result.exitCode()).isZero();
        assertThat(server.onlyRequest().path()).isEqualTo("/reprise/api/v1/sweeps/12");
    }

    @Test
    void exitsThreeNamingTheServerAndHowToChooseAnotherWhenNothingListens() throws IOException {
        String closed = "http://127.0.0.1:" + closedPort();

        Result result = Reprise.run(env, "sweeps", "--server", closed);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines().toList()).containsExactly(
                "Cannot reach the Reprise server at " + closed + ": connection refused",
                "Is the orchestrator running? Choose the server with --server URL, the REPRISE_SERVER environment "
                        + "variable, or server= in the config file.");
    }

    @Test
    void rejectsAServerUrlWithoutSchemeAndSaysWhereItCameFrom() {
        Result result = Reprise.run(Map.of("XDG_CONFIG_HOME", dir.toString(), "REPRISE_SERVER", "localhost:8080"),
                "sweeps");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Invalid server URL 'localhost:8080' (from REPRISE_SERVER)");
    }

    @Test
    void printsStatusAndTitleForAnErrorThatIsNotAProblemAndExitsOne() {
        server.reply("GET", "/api/v1/sweeps/12", 502, "text/html", "<html><body>Bad gateway</body></html>");

        Result result = Reprise.run(env, "sweep", "12");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error 502 Bad Gateway\n");
    }

    @Test
    void printsThePlainTextOfAnErrorAsItsDetail() {
        server.reply("GET", "/api/v1/sweeps/12", 503, "text/plain", "Orchestrator is starting\nretry soon");

        Result result = Reprise.run(env, "sweep", "12");

        assertThat(result.err()).isEqualTo("Error 503 Service Unavailable: Orchestrator is starting\n");
    }

    @Test
    void reportsASuccessThatIsNotJsonAsWrongServerAndExitsOne() {
        server.reply("GET", "/api/v1/sweeps/12", 200, "text/html", "<html>a dashboard</html>");

        Result result = Reprise.run(env, "sweep", "12");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("body is not JSON").contains("Reprise orchestrator");
    }

    @Test
    void pointsAtTheTokenOptionsWhenTheServerWantsAuthentication() {
        server.replyProblem("GET", "/api/v1/sweeps/12", 401, "{\"title\":\"Unauthorized\",\"status\":401}");

        Result result = Reprise.run(env, "sweep", "12");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error 401 Unauthorized\n").contains("--token", "REPRISE_TOKEN");
    }

    @Test
    void printsTheUsageAndExitsTwoWithoutACommand() {
        Result result = Reprise.run(env);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Usage: reprise", "Commands:", "submit", "sweeps", "runs", "cancel");
    }

    @Test
    void suggestsTheClosestCommandForATypoAndExitsTwo() {
        Result result = Reprise.run(env, "subimt", "sweep.yaml");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Did you mean: reprise submit");
    }

    @Test
    void printsHelpForACommandAndExitsZero() {
        Result result = Reprise.run(env, "runs", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Usage: reprise runs", "--sort=KEY", "--server=URL", "--token=TOKEN", "--output");
        assertThat(server.requests()).isEmpty();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
