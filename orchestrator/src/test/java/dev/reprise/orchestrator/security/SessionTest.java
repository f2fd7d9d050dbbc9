package dev.reprise.orchestrator.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard's sign-in: a token becomes an HttpOnly, SameSite=Strict session cookie that streams can use. */
@QuarkusTest
class SessionTest {

    private static Response login(String token) {
        return given().header("Authorization", "none").contentType("application/json")
                .body(Map.of("token", token)).post("/api/v1/session");
    }

    @Test
    void exchangesATokenForAStrictHttpOnlyCookieThatAuthenticatesUntilSignOut() {
        String project = SecurityFixture.uniqueProject("ses");
        SecurityFixture.Token token = SecurityFixture.token(project, "viewer", "vic");
        Response r = login(token.secret());
        r.then().statusCode(200).body("subject", equalTo("vic"));
        String setCookie = r.getHeader("Set-Cookie");
        assertThat(setCookie).startsWith("reprise_session=rpr_ses_").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict").contains("Path=/");
        String session = r.getCookie("reprise_session");
        given().header("Authorization", "none").cookie("reprise_session", session).get("/api/v1/whoami").then()
                .statusCode(200).body("subject", equalTo("vic")).body("projects." + project, equalTo("viewer"));
        given().header("Authorization", "none").cookie("reprise_session", session)
                .header(dev.reprise.orchestrator.api.filters.BrowserProtection.CSRF_HEADER, "1").delete("/api/v1/session")
                .then().statusCode(204);
        given().header("Authorization", "none").cookie("reprise_session", session).get("/api/v1/whoami").then()
                .statusCode(401);
    }

    @Test
    void endsTheSessionWhenItsTokenIsRevoked() {
        SecurityFixture.Token token = SecurityFixture.token(SecurityFixture.uniqueProject("ses"), "viewer", "val");
        String session = login(token.secret()).then().statusCode(200).extract().cookie("reprise_session");
        given().delete("/api/v1/tokens/" + token.id()).then().statusCode(204);
        given().header("Authorization", "none").cookie("reprise_session", session).get("/api/v1/whoami").then()
                .statusCode(401).contentType("application/problem+json");
    }

    @Test
    void refusesUnknownTokensAndRunTokens() {
        login("rpr_api_" + "x".repeat(43)).then().statusCode(401).body("status", equalTo(401));
        login(TestCredentials.runToken(1, 0)).then().statusCode(401);
        login("").then().statusCode(401);
    }
}
