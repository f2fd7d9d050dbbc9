package dev.reprise.orchestrator.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The local secret store as an attacker would probe it: values go in through PUT and must never come back, not from
 * the secret's own answer, the list, nor the audit log; only maintainers write, and only members see the names.
 */
@QuarkusTest
class SecretStoreTest {

    private static final String VALUE = "hf_s3cr3t-value-9q8w7e6r";

    private static String path(String project, String name) {
        return "/api/v1/projects/" + project + "/secrets/" + name;
    }

    private static String body(String key, String value) {
        return "{\"data\": {\"" + key + "\": \"" + value + "\"}}";
    }

    @Test
    void aMaintainerSetsASecretAndNoEndpointEverReturnsItsValue() {
        String project = SecurityFixture.uniqueProject("secrets");
        SecurityFixture.Token maintainer = SecurityFixture.token(project, "maintainer", "mia");
        SecurityFixture.Token member = SecurityFixture.token(project, "member", "mo");

        String put = given().header("Authorization", maintainer.bearer()).contentType("application/json")
                .body(body("token", VALUE)).put(path(project, "hf-token")).then().statusCode(200)
                .body("name", equalTo("hf-token")).body("keys", equalTo(List.of("token")))
                .body("updatedBy", equalTo("mia")).extract().asString();
        String list = given().header("Authorization", member.bearer()).get("/api/v1/projects/" + project + "/secrets")
                .then().statusCode(200).body("name", hasItem("hf-token")).extract().asString();
        String audit = given().queryParam("project", project).queryParam("size", 100).get("/api/v1/audit").then()
                .statusCode(200).extract().asString();

        assertThat(List.of(put, list, audit)).noneMatch(answer -> answer.contains(VALUE));
        List<Map<String, Object>> entries = given().queryParam("project", project).queryParam("size", 100)
                .get("/api/v1/audit").then().extract().jsonPath().getList("items");
        assertThat(entries).filteredOn(e -> "secret.put".equals(e.get("action"))).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("actor", "mia").containsEntry("target", "secret:hf-token");
            assertThat(((Map<?, ?>) e.get("detail")).get("keys")).isEqualTo(List.of("token"));
        });
    }

    @Test
    void onlyMaintainersWriteSecretsAndOnlyMembersSeeTheirNames() {
        String project = SecurityFixture.uniqueProject("secrets");
        SecurityFixture.Token member = SecurityFixture.token(project, "member", "mo");
        SecurityFixture.Token viewer = SecurityFixture.token(project, "viewer", "vi");
        SecurityFixture.Token otherMaintainer = SecurityFixture.token(SecurityFixture.uniqueProject("other"),
                "maintainer", "om");
        given().contentType("application/json").body(body("token", VALUE)).put(path(project, "hf-token")).then()
                .statusCode(200);

        for (SecurityFixture.Token t : List.of(member, viewer, otherMaintainer)) {
            given().header("Authorization", t.bearer()).contentType("application/json").body(body("token", "mine"))
                    .put(path(project, "hf-token")).then().statusCode(403);
            given().header("Authorization", t.bearer()).delete(path(project, "hf-token")).then().statusCode(403);
        }
        given().header("Authorization", viewer.bearer()).get("/api/v1/projects/" + project + "/secrets").then()
                .statusCode(403);
        given().header("Authorization", otherMaintainer.bearer()).get("/api/v1/projects/" + project + "/secrets")
                .then().statusCode(403);
        // nothing above changed it
        given().get("/api/v1/projects/" + project + "/secrets").then().statusCode(200)
                .body("[0].createdBy", equalTo("admin")).body("[0].updatedBy", equalTo("admin"));
    }

    @Test
    void removingASecretIsAuditedAndASecondRemoveFindsNothing() {
        String project = SecurityFixture.uniqueProject("secrets");
        given().contentType("application/json").body(body("password", VALUE)).put(path(project, "db")).then()
                .statusCode(200);

        given().delete(path(project, "db")).then().statusCode(204);
        given().delete(path(project, "db")).then().statusCode(404);

        given().get("/api/v1/projects/" + project + "/secrets").then().statusCode(200).body("size()", equalTo(0));
        assertThat(given().queryParam("project", project).get("/api/v1/audit").then().extract().jsonPath()
                .getList("items.action", String.class)).contains("secret.remove", "secret.put");
    }

    @Test
    void namesAndKeysKubernetesCouldNotUseAreRefusedAtTheirField() {
        String project = SecurityFixture.uniqueProject("secrets");
        given().contentType("application/json").body(body("token", VALUE)).put(path(project, "Bad_Name")).then()
                .statusCode(400).body("errors[0].field", equalTo("name"));
        given().contentType("application/json").body(body("a b", VALUE)).put(path(project, "ok")).then()
                .statusCode(400).body("errors[0].field", equalTo("data.a b"));
        given().contentType("application/json").body("{\"data\": {}}").put(path(project, "ok")).then()
                .statusCode(400).body("errors[0].field", equalTo("data"));
    }
}
