package dev.reprise.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.RepriseCli;
import dev.reprise.orchestrator.security.TestCredentials;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** reprise token create, ls and revoke against the real orchestrator. */
@QuarkusTest
class TokenCliTest {

    @TestHTTPResource("/")
    URL server;

    @TempDir
    Path tmp;

    private record Result(int exit, String out, String err) {
    }

    private Result reprise(String token, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = RepriseCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true),
                Map.of("REPRISE_TOKEN", token, "REPRISE_SERVER", server.toString(), "XDG_CONFIG_HOME",
                        tmp.toString(), "HOME", tmp.toString()));
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void createsListsAndRevokesATokenThatWorksUntilRevoked() {
        String project = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        Result created = reprise(TestCredentials.ADMIN_TOKEN, "token", "create", "--project", project, "--role",
                "member", "--expires", "30d", "--name", "ci");
        assertThat(created.exit()).as(created.err()).isZero();
        Matcher m = Pattern.compile("Created token (\\d+) for project " + project + " \\(member\\)").matcher(
                created.out());
        assertThat(m.find()).as(created.out()).isTrue();
        String id = m.group(1);
        Matcher secret = Pattern.compile("(rpr_api_[A-Za-z0-9_-]{43})").matcher(created.out());
        assertThat(secret.find()).isTrue();

        Result whoami = reprise(secret.group(1), "sweeps", "--project", project);
        assertThat(whoami.exit()).as(whoami.err()).isZero();

        Result ls = reprise(TestCredentials.ADMIN_TOKEN, "token", "ls", "--project", project);
        assertThat(ls.exit()).isZero();
        assertThat(ls.out()).contains(id).contains("member").contains("ci").contains("active")
                .doesNotContain(secret.group(1));

        Result revoked = reprise(TestCredentials.ADMIN_TOKEN, "token", "revoke", id);
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains("Revoked token " + id);
        Result refused = reprise(secret.group(1), "sweeps");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("401");
        given().header("Authorization", "Bearer " + secret.group(1)).get("/api/v1/whoami").then().statusCode(401);
    }

    @Test
    void refusesATokenWithAHigherRoleThanItsCreators() {
        String project = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        String maintainer = given().contentType("application/json").body(Map.of("project", project, "role",
                "maintainer")).post("/api/v1/tokens").then().statusCode(201).extract().path("token");
        Result r = reprise(maintainer, "token", "create", "--project", project, "--role", "admin");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("403");
    }
}
