package dev.reprise.orchestrator.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a page of another origin can make a signed-in browser do, tried as the page would: form-like POSTs
 * (Content-Type text/plain, no custom header) carrying the dashboard's session cookie. And the headers that keep the
 * dashboard out of frames and stop content sniffing. (The test profile trusts 127.0.0.1 as a proxy, so a test can
 * stand for another client address or for https with X-Forwarded-For / X-Forwarded-Proto.)
 */
@QuarkusTest
class BrowserAttackTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URL server;

    private String project;
    private SecurityFixture.Token maintainer;
    private String origin;

    @BeforeEach
    void signedInMaintainer() {
        project = SecurityFixture.uniqueProject("csrf");
        maintainer = SecurityFixture.token(project, "maintainer", "victim-" + project);
        origin = server.toString().replaceAll("/$", "");
    }

    @Test
    void aCrossOriginFormPostWithTheSessionCookieIsRefusedAndChangesNothing() throws Exception {
        String cookie = signIn(maintainer.secret());
        long sweep = SecurityFixture.submitSweep(project);
        long run = SecurityFixture.firstRun(sweep);
        String tokenBody = "{\"project\": \"" + project + "\", \"role\": \"maintainer\", \"expiresIn\": \"1h\"}";
        int tokensBefore = tokenCount();

        for (String evil : List.of("http://evil.example", origin.replace("127.0.0.1", "localhost"),
                origin.replaceAll(":(\\d+)$", ":1"))) {
            assertThat(send("POST", "/api/v1/tokens", "text/plain", tokenBody, Map.of("Cookie", cookie,
                    "Origin", evil))).as("a token created from %s", evil).isEqualTo(403);
            assertThat(send("POST", "/api/v1/runs/" + run + "/rerun", "text/plain", "", Map.of("Cookie", cookie,
                    "Origin", evil, dev.reprise.orchestrator.api.filters.BrowserProtection.CSRF_HEADER, "1"))).as("a re-run from %s, even with the "
                    + "header", evil).isEqualTo(403);
            assertThat(send("POST", "/api/v1/sweeps/" + sweep + "/cancel", "text/plain", "", Map.of("Cookie",
                    cookie, "Referer", evil + "/page.html"))).as("a cancel from %s (Referer only)", evil)
                    .isEqualTo(403);
        }
        assertThat(send("POST", "/api/v1/tokens", "text/plain", tokenBody, Map.of("Cookie", cookie)))
                .as("no Origin, no " + dev.reprise.orchestrator.api.filters.BrowserProtection.CSRF_HEADER).isEqualTo(403);
        assertThat(tokenCount()).as("no token was made").isEqualTo(tokensBefore);
        assertThat(given().get("/api/v1/sweeps/" + sweep).then().extract().jsonPath().getString("status"))
                .isNotEqualTo("CANCELLED");
        assertThat(send("POST", "/api/v1/session", "text/plain", "{\"token\": \"" + maintainer.secret() + "\"}",
                Map.of("Origin", "http://evil.example"))).as("a sign-in from another origin").isEqualTo(403);

        // the dashboard itself: same origin, with the header
        assertThat(send("POST", "/api/v1/tokens", "application/json", tokenBody, Map.of("Cookie", cookie,
                "Origin", origin, dev.reprise.orchestrator.api.filters.BrowserProtection.CSRF_HEADER, "1"))).as(lastBody).isEqualTo(201);
        assertThat(send("POST", "/api/v1/sweeps/" + sweep + "/cancel", null, null, Map.of("Cookie", cookie,
                dev.reprise.orchestrator.api.filters.BrowserProtection.CSRF_HEADER, "1"))).as(lastBody).isEqualTo(200);
        // a bearer token is no browser credential: unaffected
        assertThat(send("POST", "/api/v1/tokens", "application/json", tokenBody, Map.of("Authorization",
                maintainer.bearer(), "Origin", "http://evil.example"))).isEqualTo(201);
    }

    @Test
    void everyAnswerCarriesTheFrameSniffingReferrerAndContentSecurityHeaders() throws Exception {
        for (String path : List.of("/", "/ui/main.js", "/api/v1/whoami", "/api/v1/sweeps/999999999",
                "/q/health/ready", "/q/openapi")) {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(origin + path))
                    .header("Authorization", TestCredentials.adminBearer()).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).contains("DENY");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(path).contains("no-referrer");
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).get().asString()
                    .contains("frame-ancestors 'none'", "script-src 'self'", "object-src 'none'");
        }
        HttpResponse<Void> unauthorized = HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/api/v1/whoami"))
                .build(), HttpResponse.BodyHandlers.discarding());
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    @Test
    void theSessionCookieIsSecureWhenATrustedProxySaysHttps() throws Exception {
        HttpResponse<String> plain = login(maintainer.secret(), Map.of());
        HttpResponse<String> https = login(maintainer.secret(), Map.of("X-Forwarded-Proto", "https"));
        assertThat(plain.headers().firstValue("Set-Cookie")).get().asString().doesNotContainIgnoringCase("secure");
        assertThat(https.headers().firstValue("Set-Cookie")).get().asString().containsIgnoringCase("secure")
                .containsIgnoringCase("httponly").contains("SameSite=Strict");
    }

    @Test
    void signInAttemptsAreLimitedPerClientWith429AndRetryAfter() throws Exception {
        String attacker = "203.0.113." + (int) (Math.random() * 200 + 1);
        HttpResponse<String> last = null;
        for (int i = 0; i < 10; i++) {
            last = login("rpr_api_" + "guess" + i + "x".repeat(38), Map.of("X-Forwarded-For", attacker));
            assertThat(last.statusCode()).as("guess %d", i).isEqualTo(401);
        }
        HttpResponse<String> limited = login("rpr_api_guess" + "y".repeat(38), Map.of("X-Forwarded-For", attacker));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).get().asString().matches("\\d+");
        assertThat(limited.headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/problem+json");
        assertThat(login(maintainer.secret(), Map.of("X-Forwarded-For", attacker)).statusCode())
                .as("even the right token, from that client").isEqualTo(429);
        assertThat(login(maintainer.secret(), Map.of("X-Forwarded-For", "198.51.100.9")).statusCode())
                .as("another client").isEqualTo(200);
    }

    private String signIn(String token) throws IOException, InterruptedException {
        HttpResponse<String> r = login(token, Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    private HttpResponse<String> login(String token, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + "/api/v1/session"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\": \"" + token + "\"}"));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int send(String method, String path, String contentType, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        lastBody = r.body();
        return r.statusCode();
    }

    private String lastBody;

    private int tokenCount() {
        return given().queryParam("project", project).queryParam("all", true).get("/api/v1/tokens").then()
                .statusCode(200).extract().jsonPath().getInt("total");
    }
}
