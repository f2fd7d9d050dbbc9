package dev.reprise.orchestrator.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Submissions are limited per credential: over the burst, a 429 problem with Retry-After, and nothing stored. */
@QuarkusTest
@TestProfile(SubmissionRateLimitTest.Tight.class)
class SubmissionRateLimitTest {

    /** Two submissions at once, then one a minute. */
    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("reprise.security.rate-limit.submission-burst", "2",
                    "reprise.security.rate-limit.submissions-per-minute", "1");
        }
    }

    private static io.restassured.response.ValidatableResponse submit(String bearer, String project) {
        return given().header("Authorization", bearer).contentType("application/yaml")
                .body(SecurityFixture.sweepYaml(project).getBytes(StandardCharsets.UTF_8)).post("/api/v1/sweeps")
                .then();
    }

    @Test
    void answers429WithRetryAfterOnceACredentialsBurstIsSpent() {
        String project = SecurityFixture.uniqueProject("rate");
        SecurityFixture.Token first = SecurityFixture.token(project, "member", "busy");
        SecurityFixture.Token second = SecurityFixture.token(project, "member", "calm");
        submit(first.bearer(), project).statusCode(201);
        submit(first.bearer(), project).statusCode(201);
        submit(first.bearer(), project).statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue()).body("status", equalTo(429))
                .body("detail", containsString("retry in"));
        submit(second.bearer(), project).statusCode(201); // another credential has its own budget
        given().queryParam("project", project).get("/api/v1/sweeps").then().statusCode(200)
                .body("total", equalTo(3));
    }
}
