package dev.reprise.orchestrator.security;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Rule shapes for endpoints of a run attempt (agents upload with their run token) and of several runs (comparing
 * two runs), on the test-only {@link ProbeResource}.
 */
@QuarkusTest
class RunScopedRulesTest {

    @Test
    void aRunTokenActsOnlyForItsOwnRunAttempt() {
        String project = SecurityFixture.uniqueProject("probe");
        long run = SecurityFixture.firstRun(SecurityFixture.submitSweep(project));
        long other = SecurityFixture.firstRun(SecurityFixture.submitSweep(project));
        String token = "Bearer " + TestCredentials.runToken(run, 0);
        given().header("Authorization", token).get("/api/v1/test-probe/runs/" + run + "/attempts/0").then()
                .statusCode(200);
        given().header("Authorization", token).get("/api/v1/test-probe/runs/" + run + "/attempts/1").then()
                .statusCode(403);
        given().header("Authorization", token).get("/api/v1/test-probe/runs/" + other + "/attempts/0").then()
                .statusCode(403);
        given().header("Authorization", SecurityFixture.token(project, "member", "m").bearer())
                .get("/api/v1/test-probe/runs/" + run + "/attempts/0").then().statusCode(200);
        given().header("Authorization", SecurityFixture.token(project, "viewer", "v").bearer())
                .get("/api/v1/test-probe/runs/" + run + "/attempts/0").then().statusCode(403);
    }

    @Test
    void anEndpointOfTwoRunsNeedsTheRoleInBothProjects() {
        String mine = SecurityFixture.uniqueProject("probe-a");
        String theirs = SecurityFixture.uniqueProject("probe-b");
        long a = SecurityFixture.firstRun(SecurityFixture.submitSweep(mine));
        long a2 = SecurityFixture.firstRun(SecurityFixture.submitSweep(mine));
        long b = SecurityFixture.firstRun(SecurityFixture.submitSweep(theirs));
        String viewer = SecurityFixture.token(mine, "viewer", "v").bearer();
        given().header("Authorization", viewer).get("/api/v1/test-probe/runs/" + a + "/with/" + a2).then()
                .statusCode(200);
        given().header("Authorization", viewer).get("/api/v1/test-probe/runs/" + a + "/with/" + b).then()
                .statusCode(403);
        given().header("Authorization", viewer).get("/api/v1/test-probe/runs/" + b + "/with/" + a).then()
                .statusCode(403);
    }
}
