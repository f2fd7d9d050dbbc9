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
    void newDashboardSessionsOfOneTokenShareItsBudgetInsteadOfGettingFreshOnes() throws Exception {
        String project = SecurityFixture.uniqueProject("rate-sessions");
        SecurityFixture.Token token = SecurityFixture.token(project, "member", "many-tabs");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String base = io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port;
        int created = 0;
        int refused = 0;
        for (int i = 0; i < 6; i++) {
            // a fresh session each time, as a script signing in again and again would make
            java.net.http.HttpResponse<String> login = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/api/v1/session")).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"token\": \"" + token.secret()
                            + "\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            org.assertj.core.api.Assertions.assertThat(login.statusCode()).isEqualTo(200);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            int status = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/v1/sweeps"))
                    .header("Content-Type", "application/yaml").header("Cookie", cookie)
                    .header(dev.reprise.orchestrator.api.filters.BrowserProtection.CSRF_HEADER, "1")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(SecurityFixture.sweepYaml(project)))
                    .build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 201) {
                created++;
            } else if (status == 429) {
                refused++;
            }
        }
        org.assertj.core.api.Assertions.assertThat(created).as("the token's burst, across its sessions").isEqualTo(2);
        org.assertj.core.api.Assertions.assertThat(refused).isEqualTo(4);
        submit(token.bearer(), project).statusCode(429); // and the token itself shares it too
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
