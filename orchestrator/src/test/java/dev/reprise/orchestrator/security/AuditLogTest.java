package dev.reprise.orchestrator.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each audited action leaves one entry with actor, action, target, time and client address; entries never change. */
@QuarkusTest
class AuditLogTest {

    @Inject
    AgroalDataSource dataSource;

    private static JsonPath entries(String filter, String value) {
        return given().queryParam(filter, value).queryParam("size", 100).get("/api/v1/audit").then().statusCode(200)
                .extract().jsonPath();
    }

    private static Map<String, Object> only(String filter, String value, String action) {
        List<Map<String, Object>> items = entries(filter, value).getList("items");
        List<Map<String, Object>> matching = items.stream().filter(e -> action.equals(e.get("action"))).toList();
        assertThat(matching).as("%s entries for %s=%s in %s", action, filter, value, items).hasSize(1);
        return matching.get(0);
    }

    @Test
    void recordsSubmissionAndEveryControlOfASweep() {
        String project = SecurityFixture.uniqueProject("audit");
        SecurityFixture.Token member = SecurityFixture.token(project, "maintainer", "mallory");
        long sweep = given().header("Authorization", member.bearer()).contentType("application/yaml")
                .body(SecurityFixture.sweepYaml(project).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/sweeps").then().statusCode(201).extract().jsonPath().getLong("id");
        for (String action : List.of("pause", "resume")) {
            given().header("Authorization", member.bearer()).post("/api/v1/sweeps/" + sweep + "/" + action).then()
                    .statusCode(200);
        }
        given().header("Authorization", member.bearer()).contentType("application/json").body("{\"max_trials\": 3}")
                .post("/api/v1/sweeps/" + sweep + "/extend").then().statusCode(200);
        given().header("Authorization", member.bearer()).post("/api/v1/sweeps/" + sweep + "/cancel").then()
                .statusCode(200);

        String target = "sweep:" + sweep;
        Map<String, Object> submit = only("target", target, "sweep.submit");
        assertThat(submit).containsEntry("actor", "mallory").containsEntry("actorKind", "api_token")
                .containsEntry("project", project).containsEntry("clientAddress", "127.0.0.1")
                .containsKey("at");
        assertThat((Map<String, Object>) submit.get("detail")).containsEntry("runs", 2)
                .containsEntry("credential", "token:" + member.id());
        for (String action : List.of("sweep.pause", "sweep.resume", "sweep.extend", "sweep.cancel")) {
            assertThat(only("target", target, action)).containsEntry("actor", "mallory");
        }
        assertThat((Map<String, Object>) only("target", target, "sweep.extend").get("detail"))
                .containsEntry("max_trials", 3);
        assertThat(entries("target", target).getList("items.action")).as("newest first")
                .containsExactly("sweep.cancel", "sweep.extend", "sweep.resume", "sweep.pause", "sweep.submit");
    }

    @Test
    void recordsTokenAndMemberChanges() {
        String project = SecurityFixture.uniqueProject("audit");
        SecurityFixture.Token t = SecurityFixture.token(project, "member", "ci-bot");
        given().delete("/api/v1/tokens/" + t.id()).then().statusCode(204);
        given().contentType("application/json").body("{\"role\": \"maintainer\"}")
                .put("/api/v1/projects/" + project + "/members/erin").then().statusCode(200)
                .body("role", equalTo("maintainer"));
        given().contentType("application/json").body("{\"role\": \"viewer\"}")
                .put("/api/v1/projects/" + project + "/members/erin").then().statusCode(200);
        given().delete("/api/v1/projects/" + project + "/members/erin").then().statusCode(204);

        assertThat(only("target", "token:" + t.id(), "token.create")).containsEntry("actor", "admin")
                .containsEntry("project", project);
        assertThat(only("target", "token:" + t.id(), "token.revoke")).containsEntry("actor", "admin");
        List<Map<String, Object>> members = entries("project", project).getList("items");
        assertThat(members).filteredOn(e -> "member:erin".equals(e.get("target"))).extracting(e -> e.get("action"))
                .containsExactly("member.remove", "member.put", "member.put");
        assertThat(members).filteredOn(e -> "member:erin".equals(e.get("target")))
                .extracting(e -> (Object) ((Map<?, ?>) e.get("detail")).get("previous_role"))
                .containsExactly(null, "maintainer", null);
    }

    @Test
    void showsAMaintainerOnlyTheEntriesOfItsProjects() {
        String mine = SecurityFixture.uniqueProject("audit-mine");
        String theirs = SecurityFixture.uniqueProject("audit-theirs");
        SecurityFixture.submitSweep(mine);
        SecurityFixture.submitSweep(theirs);
        SecurityFixture.Token maintainer = SecurityFixture.token(mine, "maintainer", "mia");
        List<String> projects = given().header("Authorization", maintainer.bearer()).queryParam("size", 500)
                .get("/api/v1/audit").then().statusCode(200).extract().jsonPath().getList("items.project");
        assertThat(projects).contains(mine).doesNotContain(theirs).allMatch(mine::equals);
        given().header("Authorization", maintainer.bearer()).queryParam("project", theirs).get("/api/v1/audit")
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void refusesToChangeOrDeleteEntries() throws SQLException {
        SecurityFixture.submitSweep(SecurityFixture.uniqueProject("audit"));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // the application's role has no such privilege (V13); an owner would meet the append-only triggers
            String refused = "(?s).*(permission denied|append-only).*";
            assertThatThrownBy(() -> s.executeUpdate("update audit_log set actor = 'someone-else'"))
                    .hasMessageMatching(refused);
            assertThatThrownBy(() -> s.executeUpdate("delete from audit_log")).hasMessageMatching(refused);
            assertThatThrownBy(() -> s.executeUpdate("truncate audit_log")).hasMessageMatching(refused);
        }
    }

    @Test
    void pagesAndFiltersByAction() {
        String project = SecurityFixture.uniqueProject("audit");
        for (int i = 0; i < 3; i++) {
            SecurityFixture.submitSweep(project);
        }
        given().queryParam("project", project).queryParam("action", "sweep.submit").queryParam("size", 2)
                .get("/api/v1/audit").then().statusCode(200).body("total", equalTo(3)).body("items.size()", equalTo(2));
        given().queryParam("since", "yesterday").get("/api/v1/audit").then().statusCode(400)
                .body("errors[0].field", equalTo("since"));
    }
}
