package dev.reprise.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reprise.orchestrator.domain.security.Role;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the served OpenAPI document against its expected access rule: refused with 401 without
 * credentials and with bad ones (garbage, expired, revoked, wrong issuer, wrong audience, untrusted signature), 403
 * with a role too low or in another project, and not refused with the role the rule names. The table must name every
 * operation: an endpoint added without a row here fails this test.
 */
@QuarkusTest
class EndpointSecurityTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String YAML = "application/yaml";
    private static final String JSON = "application/json";
    private static final String NO_SNAPSHOT = "sha256:" + "0".repeat(64);

    /** What an operation acts on, which decides the wrong-role and wrong-project cases. */
    enum Scope {
        /** Any credential; no role needed. */
        AUTHENTICATED,
        /** The role in some project; project-less (listings filter themselves). */
        ANY_PROJECT,
        /** The role in the project of the addressed object. */
        PROJECT,
        /** The role in every project. */
        GLOBAL,
        /** No authentication. */
        PUBLIC
    }

    record Call(String method, String path, String contentType, String body) {
    }

    record Rule(Scope scope, Role role, Function<Fixture, Call> call) {
    }

    /** The project under test (a), another project (b), and objects in a. */
    record Fixture(String a, String b, long sweep, long run) {
        long freshSweep() {
            return SecurityFixture.submitSweep(a);
        }
    }

    private static Call get(String path) {
        return new Call("GET", path, null, null);
    }

    private static Call post(String path, String contentType, String body) {
        return new Call("POST", path, contentType, body);
    }

    private static Rule rule(Scope scope, Role role, Function<Fixture, Call> call) {
        return new Rule(scope, role, call);
    }

    /** The expected rule of every operation, by operationId. */
    static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        Role v = Role.VIEWER;
        Role m = Role.MEMBER;
        Role mt = Role.MAINTAINER;
        Role ad = Role.ADMIN;
        RULES.put("submitSweep", rule(Scope.PROJECT, m, f -> post("/api/v1/sweeps", YAML,
                SecurityFixture.sweepYaml(f.a()))));
        RULES.put("listSweeps", rule(Scope.ANY_PROJECT, v, f -> get("/api/v1/sweeps?project=" + f.a())));
        RULES.put("listSweepOverviews", rule(Scope.ANY_PROJECT, v, f -> get("/api/v1/sweeps/overview")));
        RULES.put("getSweep", rule(Scope.PROJECT, v, f -> get("/api/v1/sweeps/" + f.sweep())));
        RULES.put("listRuns", rule(Scope.PROJECT, v, f -> get("/api/v1/sweeps/" + f.sweep() + "/runs")));
        RULES.put("getSweepTable", rule(Scope.PROJECT, v, f -> get("/api/v1/sweeps/" + f.sweep() + "/table")));
        RULES.put("getSweepCoordinates", rule(Scope.PROJECT, v, f -> get("/api/v1/sweeps/" + f.sweep()
                + "/coordinates?metric=loss")));
        RULES.put("followSweepRuns", rule(Scope.PROJECT, v, f -> get("/api/v1/sweeps/" + f.sweep() + "/live?run="
                + f.run())));
        RULES.put("cancelSweep", rule(Scope.PROJECT, mt, f -> post("/api/v1/sweeps/" + f.freshSweep() + "/cancel",
                null, null)));
        RULES.put("pauseSweep", rule(Scope.PROJECT, mt, f -> post("/api/v1/sweeps/" + f.freshSweep() + "/pause",
                null, null)));
        RULES.put("resumeSweep", rule(Scope.PROJECT, mt, f -> post("/api/v1/sweeps/" + f.freshSweep() + "/resume",
                null, null)));
        RULES.put("extendSweep", rule(Scope.PROJECT, mt, f -> post("/api/v1/sweeps/" + f.freshSweep() + "/extend",
                JSON, "{\"max_trials\": 3}")));
        RULES.put("retrySweep", rule(Scope.PROJECT, mt, f -> post("/api/v1/sweeps/" + f.freshSweep() + "/retry",
                JSON, "{\"failed\": true}")));
        RULES.put("getSweepEarlyStopping", rule(Scope.PROJECT, v, f -> get("/api/v1/sweeps/" + f.sweep()
                + "/early-stopping")));
        RULES.put("getRun", rule(Scope.PROJECT, v, f -> get("/api/v1/runs/" + f.run())));
        RULES.put("followRun", rule(Scope.PROJECT, v, f -> get("/api/v1/runs/" + f.run() + "/live")));
        RULES.put("getRunLogs", rule(Scope.PROJECT, v, f -> get("/api/v1/runs/" + f.run() + "/logs")));
        RULES.put("listRunMetrics", rule(Scope.PROJECT, v, f -> get("/api/v1/runs/" + f.run() + "/metrics")));
        RULES.put("getRunMetric", rule(Scope.PROJECT, v, f -> get("/api/v1/runs/" + f.run() + "/metrics/loss")));
        RULES.put("getRunProvenance", rule(Scope.PROJECT, v, f -> get("/api/v1/runs/" + f.run() + "/provenance")));
        RULES.put("listArtifacts", rule(Scope.PROJECT, v, f -> get("/api/v1/runs/" + f.run() + "/artifacts")));
        RULES.put("downloadArtifact", rule(Scope.PROJECT, v, f -> get("/api/v1/runs/" + f.run()
                + "/artifacts/model.bin")));
        RULES.put("downloadLogArchive", rule(Scope.PROJECT, v, f -> get("/api/v1/runs/" + f.run()
                + "/logs/archive?attempt=0")));
        RULES.put("planArtifactUploads", rule(Scope.PROJECT, mt, f -> post("/api/v1/runs/" + f.run()
                + "/attempts/0/artifacts/uploads", JSON, "{\"blobs\": []}")));
        RULES.put("commitArtifacts", rule(Scope.PROJECT, mt, f -> post("/api/v1/runs/" + f.run()
                + "/attempts/0/artifacts", JSON, "{\"manifest\": {\"entries\": []}}")));
        // checkpoints (docs/checkpoints.md): the list for users, the agent's upload, restore and resume record (run
        // token, or a maintainer); the fixture's run has none, so restore and resume answer 404, a commit without
        // files 422
        RULES.put("listCheckpoints", rule(Scope.PROJECT, v, f -> get("/api/v1/runs/" + f.run() + "/checkpoints")));
        RULES.put("planCheckpointUploads", rule(Scope.PROJECT, mt, f -> post("/api/v1/runs/" + f.run()
                + "/attempts/0/checkpoints/3/uploads", JSON, "{\"blobs\": []}")));
        RULES.put("commitCheckpoint", rule(Scope.PROJECT, mt, f -> post("/api/v1/runs/" + f.run()
                + "/attempts/0/checkpoints/3", JSON, "{\"manifest\": {\"entries\": []}}")));
        RULES.put("latestCheckpoint", rule(Scope.PROJECT, mt, f -> get("/api/v1/runs/" + f.run()
                + "/attempts/0/checkpoints/latest")));
        RULES.put("checkpointRestored", rule(Scope.PROJECT, mt, f -> post("/api/v1/runs/" + f.run()
                + "/attempts/0/checkpoints/3/restored", JSON, "")));
        // the agents' rendezvous of a distributed attempt (run token, or a maintainer); the fixture's run is not a
        // running distributed attempt, so an allowed caller gets 409
        RULES.put("rendezvous", rule(Scope.PROJECT, mt, f -> post("/api/v1/runs/" + f.run()
                + "/attempts/0/rendezvous", JSON, "{\"member\": \"trial-0\", \"address\": \"10.0.0.1\"}")));
        RULES.put("rerunRun", rule(Scope.PROJECT, m, f -> post("/api/v1/runs/" + f.run() + "/rerun", JSON, "")));
        RULES.put("compareRuns", rule(Scope.PROJECT, v, f -> get("/api/v1/runs/" + f.run() + "/compare/" + f.run())));
        RULES.put("cloneSweep", rule(Scope.PROJECT, m, f -> post("/api/v1/sweeps/" + f.sweep() + "/clone", JSON,
                "{}")));
        RULES.put("listQueues", rule(Scope.ANY_PROJECT, v, f -> get("/api/v1/queues")));
        RULES.put("getQueue", rule(Scope.ANY_PROJECT, v, f -> get("/api/v1/queues/default")));
        RULES.put("getUsage", rule(Scope.ANY_PROJECT, v, f -> get("/api/v1/usage")));
        RULES.put("getSweepUsage", rule(Scope.PROJECT, v, f -> get("/api/v1/sweeps/" + f.sweep() + "/usage")));
        RULES.put("listSnapshots", rule(Scope.ANY_PROJECT, v, f -> get("/api/v1/snapshots")));
        RULES.put("getSnapshot", rule(Scope.ANY_PROJECT, v, f -> get("/api/v1/snapshots/" + NO_SNAPSHOT)));
        RULES.put("downloadSnapshot", rule(Scope.ANY_PROJECT, v, f -> get("/api/v1/snapshots/" + NO_SNAPSHOT
                + "/download")));
        RULES.put("planSnapshotUploads", rule(Scope.ANY_PROJECT, m, f -> post("/api/v1/snapshots/uploads", JSON,
                "{\"blobs\": []}")));
        RULES.put("commitSnapshot", rule(Scope.ANY_PROJECT, m, f -> post("/api/v1/snapshots", JSON, "{}")));
        RULES.put("deleteSnapshot", rule(Scope.GLOBAL, ad, f -> new Call("DELETE", "/api/v1/snapshots/"
                + NO_SNAPSHOT, null, null)));
        RULES.put("createToken", rule(Scope.PROJECT, mt, f -> post("/api/v1/tokens", JSON,
                "{\"project\": \"" + f.a() + "\", \"role\": \"viewer\", \"expiresIn\": \"1h\"}")));
        RULES.put("listTokens", rule(Scope.ANY_PROJECT, mt, f -> get("/api/v1/tokens")));
        RULES.put("revokeToken", rule(Scope.PROJECT, mt, f -> new Call("DELETE", "/api/v1/tokens/"
                + SecurityFixture.token(f.a(), "viewer", "someone").id(), null, null)));
        RULES.put("listMembers", rule(Scope.PROJECT, mt, f -> get("/api/v1/projects/" + f.a() + "/members")));
        RULES.put("putMember", rule(Scope.PROJECT, ad, f -> new Call("PUT", "/api/v1/projects/" + f.a()
                + "/members/carol", JSON, "{\"role\": \"viewer\"}")));
        RULES.put("removeMember", rule(Scope.PROJECT, ad, f -> new Call("DELETE", "/api/v1/projects/" + f.a()
                + "/members/nobody", null, null)));
        RULES.put("listSecrets", rule(Scope.PROJECT, m, f -> get("/api/v1/projects/" + f.a() + "/secrets")));
        RULES.put("putSecret", rule(Scope.PROJECT, mt, f -> new Call("PUT", "/api/v1/projects/" + f.a()
                + "/secrets/hf-token", JSON, "{\"data\": {\"token\": \"hf-secret-value\"}}")));
        RULES.put("removeSecret", rule(Scope.PROJECT, mt, f -> new Call("DELETE", "/api/v1/projects/" + f.a()
                + "/secrets/nothing-here", null, null)));
        RULES.put("createWebhook", rule(Scope.PROJECT, mt, f -> post("/api/v1/projects/" + f.a() + "/webhooks", JSON,
                "{\"url\": \"https://hooks.example.com/reprise\", \"events\": [\"sweep.finished\"]}")));
        RULES.put("listWebhooks", rule(Scope.PROJECT, m, f -> get("/api/v1/projects/" + f.a() + "/webhooks")));
        RULES.put("removeWebhook", rule(Scope.PROJECT, mt, f -> new Call("DELETE", "/api/v1/projects/" + f.a()
                + "/webhooks/999999999", null, null)));
        RULES.put("listWebhookDeliveries", rule(Scope.PROJECT, m, f -> get("/api/v1/projects/" + f.a()
                + "/webhooks/999999999/deliveries")));
        RULES.put("listAudit", rule(Scope.ANY_PROJECT, mt, f -> get("/api/v1/audit")));
        RULES.put("whoami", rule(Scope.AUTHENTICATED, null, f -> get("/api/v1/whoami")));
        RULES.put("logout", rule(Scope.AUTHENTICATED, null, f -> new Call("DELETE", "/api/v1/session", null, null)));
        RULES.put("login", rule(Scope.PUBLIC, null, f -> post("/api/v1/session", JSON, "{\"token\": \""
                + TestCredentials.ADMIN_TOKEN + "\"}")));
    }

    @TestHTTPResource("/")
    URL server;

    private Fixture fixture;

    @BeforeEach
    void projects() {
        String a = SecurityFixture.uniqueProject("sec-a");
        String b = SecurityFixture.uniqueProject("sec-b");
        long sweep = SecurityFixture.submitSweep(a);
        SecurityFixture.submitSweep(b);
        fixture = new Fixture(a, b, sweep, SecurityFixture.firstRun(sweep));
    }

    @Test
    void theRuleTableNamesEveryServedOperation() throws Exception {
        Set<String> served = servedOperations();
        assertThat(served).as("operations served at /q/openapi").isNotEmpty();
        assertThat(new TreeSet<>(RULES.keySet()))
                .as("every served operation needs a row in EndpointSecurityTest.RULES, and only those")
                .isEqualTo(new TreeSet<>(served));
    }

    @Test
    void refusesEveryNonPublicOperationWithoutValidCredentials() throws Exception {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("no credentials", null);
        bad.put("a garbage token", "Bearer not-a-token");
        bad.put("an unknown Reprise token", "Bearer rpr_api_" + "A".repeat(43));
        bad.put("an expired API token", SecurityFixture.expiredToken(fixture.a()).bearer());
        bad.put("a revoked API token", SecurityFixture.revokedToken(fixture.a()).bearer());
        bad.put("an expired JWT", "Bearer " + SecurityFixture.expiredJwt("eve"));
        bad.put("a JWT of another issuer", "Bearer " + SecurityFixture.jwtFromIssuer("https://evil.example", "eve"));
        bad.put("a JWT for another audience", "Bearer " + SecurityFixture.jwtForAudience("other-api", "eve"));
        bad.put("a JWT signed by an untrusted key", "Bearer " + SecurityFixture.jwtSignedByAnotherKey("eve"));
        // a run token lives as long as its attempt: one for an attempt the run never had is no credential at all
        bad.put("a run token of an attempt the run never had", "Bearer " + TestCredentials.runToken(fixture.run(), 1));
        // a run token of the run's current attempt authenticates, but only for that attempt's own agent endpoints
        bad.put("a run token", "Bearer " + TestCredentials.runToken(fixture.run(), 0));
        Set<String> agentEndpointsOfTheRun = Set.of("planArtifactUploads", "commitArtifacts", "rendezvous",
                "planCheckpointUploads", "commitCheckpoint", "latestCheckpoint", "checkpointRestored");
        SoftAssertions soft = new SoftAssertions();
        for (Map.Entry<String, Rule> op : RULES.entrySet()) {
            if (op.getValue().scope() == Scope.PUBLIC) {
                continue;
            }
            for (Map.Entry<String, String> credential : bad.entrySet()) {
                if (credential.getKey().equals("a run token") && agentEndpointsOfTheRun.contains(op.getKey())) {
                    continue; // what a run token may do is RunTokenAttackTest's and RunArtifactsTest's
                }
                int expected = credential.getKey().equals("a run token") ? 403 : 401;
                Call call = op.getValue().call().apply(fixture);
                soft.assertThat(send(call, credential.getValue()))
                        .as("%s %s with %s", op.getKey(), call.path(), credential.getKey()).isEqualTo(expected);
            }
        }
        soft.assertAll();
    }

    @Test
    void refusesTooLowARoleAndAnotherProjectsRoleWith403() throws Exception {
        Map<Role, String> inA = tokensOf(fixture.a());
        String adminOfB = SecurityFixture.token(fixture.b(), "admin", "bob-admin-b").bearer();
        String noRoles = "Bearer " + SecurityFixture.jwt("nobody-" + fixture.a(), Set.of());
        SoftAssertions soft = new SoftAssertions();
        for (Map.Entry<String, Rule> op : RULES.entrySet()) {
            Rule rule = op.getValue();
            if (rule.scope() == Scope.PUBLIC || rule.scope() == Scope.AUTHENTICATED) {
                continue;
            }
            String lower = switch (rule.scope()) {
                case GLOBAL -> inA.get(rule.role());
                default -> rule.role() == Role.VIEWER ? noRoles : inA.get(Role.values()[rule.role().ordinal() - 1]);
            };
            Call call = rule.call().apply(fixture);
            soft.assertThat(send(call, lower)).as("%s %s with a role below %s", op.getKey(), call.path(),
                    rule.role()).isEqualTo(403);
            if (rule.scope() == Scope.PROJECT) {
                Call again = rule.call().apply(fixture);
                soft.assertThat(send(again, adminOfB)).as("%s %s as admin of another project", op.getKey(),
                        again.path()).isEqualTo(403);
            }
        }
        soft.assertAll();
    }

    @Test
    void allowsTheRoleEachRuleNames() throws Exception {
        Map<Role, String> inA = tokensOf(fixture.a());
        String global = SecurityFixture.token("*", "admin", "global-admin").bearer();
        SoftAssertions soft = new SoftAssertions();
        for (Map.Entry<String, Rule> op : RULES.entrySet()) {
            Rule rule = op.getValue();
            String credential = switch (rule.scope()) {
                case PUBLIC -> null;
                case AUTHENTICATED -> inA.get(Role.VIEWER);
                case GLOBAL -> global;
                default -> inA.get(rule.role());
            };
            Call call = rule.call().apply(fixture);
            int status = send(call, credential);
            soft.assertThat(status).as("%s %s with the %s role", op.getKey(), call.path(), rule.role())
                    .isLessThan(500).isNotIn(401, 403);
            // not there, so 404, once allowed in: snapshots, a metric key and a member the fixture does not have
            if (!call.path().contains("snapshots") && !op.getKey().equals("removeMember")
                    && !op.getKey().equals("removeSecret") && !op.getKey().equals("rendezvous")
                    && !op.getKey().equals("removeWebhook") && !op.getKey().equals("listWebhookDeliveries")
                    && !op.getKey().equals("getRunMetric") && !op.getKey().equals("downloadArtifact")
                    && !op.getKey().equals("downloadLogArchive") && !op.getKey().equals("commitCheckpoint")
                    && !op.getKey().equals("latestCheckpoint") && !op.getKey().equals("checkpointRestored")) {
                soft.assertThat(status).as("%s %s succeeds with the %s role", op.getKey(), call.path(),
                        rule.role()).isBetween(200, 299);
            }
        }
        soft.assertAll();
    }

    @Test
    void acceptsAPersonsJwtWithProjectGroups() throws Exception {
        String member = "Bearer " + SecurityFixture.jwt("dana", Set.of("reprise:" + fixture.a() + ":member"));
        assertThat(send(RULES.get("submitSweep").call().apply(fixture), member)).isEqualTo(201);
        assertThat(send(RULES.get("getSweep").call().apply(fixture), member)).isEqualTo(200);
        assertThat(send(RULES.get("cancelSweep").call().apply(fixture), member)).as("not the owner").isEqualTo(403);
        String globalAdmin = "Bearer " + SecurityFixture.jwt("root", Set.of("reprise:admin"));
        assertThat(send(RULES.get("deleteSnapshot").call().apply(fixture), globalAdmin)).isEqualTo(404);
    }

    @Test
    void grantsAPersonTheRolesOfItsProjectMemberships() throws Exception {
        String person = "frank-" + fixture.a();
        String jwt = "Bearer " + SecurityFixture.jwt(person, Set.of());
        assertThat(send(RULES.get("getSweep").call().apply(fixture), jwt)).as("no membership yet").isEqualTo(403);
        io.restassured.RestAssured.given().contentType(JSON).body("{\"role\": \"member\"}")
                .put("/api/v1/projects/" + fixture.a() + "/members/" + person).then().statusCode(200);
        assertThat(send(RULES.get("getSweep").call().apply(fixture), jwt)).isEqualTo(200);
        assertThat(send(RULES.get("submitSweep").call().apply(fixture), jwt)).isEqualTo(201);
        assertThat(send(new Call("POST", "/api/v1/sweeps?project=" + fixture.b(), YAML,
                SecurityFixture.sweepYaml(fixture.a())), jwt)).as("the project given in the query").isEqualTo(403);
    }

    @Test
    void listsOnlyTheSweepsOfTheCallersProjects() {
        String viewerOfA = SecurityFixture.token(fixture.a(), "viewer", "lister").bearer();
        for (String path : List.of("/api/v1/sweeps", "/api/v1/sweeps/overview")) {
            List<String> projects = io.restassured.RestAssured.given().header("Authorization", viewerOfA)
                    .queryParam("size", 500).get(path).then().statusCode(200).extract().jsonPath()
                    .getList(path.endsWith("overview") ? "items.sweep.project" : "items.project");
            assertThat(projects).as(path).contains(fixture.a()).containsOnly(fixture.a());
            assertThat(io.restassured.RestAssured.given().header("Authorization", viewerOfA)
                    .queryParam("project", fixture.b()).get(path).then().statusCode(200).extract().jsonPath()
                    .getInt("total")).as(path + " of another project").isZero();
        }
    }

    @Test
    void aViewerTokenCannotRevokeTheTokensItsSubjectCreated() {
        String mia = "mia-" + fixture.a();
        SecurityFixture.Token maintainerToken = SecurityFixture.token(fixture.a(), "maintainer", mia);
        String maintainer = maintainerToken.bearer();
        SecurityFixture.Token viewer = createdWith(maintainer, "viewer", fixture.a());
        SecurityFixture.Token member = createdWith(maintainer, "member", fixture.a());
        SecurityFixture.Token otherMember = createdWith(maintainer, "member", fixture.a());

        for (SecurityFixture.Token target : List.of(member, viewer, maintainerToken)) {
            assertThat(revoke(target.id(), viewer.bearer())).as("the viewer token revokes token %d", target.id())
                    .isEqualTo(403);
        }
        assertThat(whoamiStatus(member.bearer())).as("the member token still works").isEqualTo(200);
        assertThat(revoke(otherMember.id(), member.bearer()))
                .as("a member token revokes a token of its subject's no stronger than itself").isEqualTo(204);
        assertThat(revoke(viewer.id(), maintainer)).as("the maintainer revokes any").isEqualTo(204);
    }

    @Test
    void aMemberTokenCannotCancelTheSweepItsSubjectSubmittedAsMaintainer() {
        String mia = "mia-" + fixture.a();
        String maintainer = SecurityFixture.token(fixture.a(), "maintainer", mia).bearer();
        String member = createdWith(maintainer, "member", fixture.a()).bearer();
        long maintainers = submitWith(maintainer);
        long members = submitWith(member);

        for (String action : List.of("cancel", "pause")) {
            assertThat(control(maintainers, action, member)).as("%s of the sweep submitted as maintainer", action)
                    .isEqualTo(403);
        }
        assertThat(io.restassured.RestAssured.given().get("/api/v1/sweeps/" + maintainers).then().extract()
                .jsonPath().getString("status")).as("still running").isNotEqualTo("CANCELLED");
        assertThat(control(members, "cancel", member)).as("its own sweep, submitted as member").isEqualTo(200);
        assertThat(control(maintainers, "cancel", maintainer)).isEqualTo(200);
    }

    private static SecurityFixture.Token createdWith(String creator, String role, String project) {
        var json = io.restassured.RestAssured.given().header("Authorization", creator).contentType(JSON)
                .body(Map.of("project", project, "role", role, "expiresIn", "1h"))
                .post("/api/v1/tokens").then().statusCode(201).extract().jsonPath();
        return new SecurityFixture.Token(json.getLong("id"), json.getString("token"));
    }

    private static int revoke(long id, String bearer) {
        return io.restassured.RestAssured.given().header("Authorization", bearer).delete("/api/v1/tokens/" + id)
                .then().extract().statusCode();
    }

    private static int whoamiStatus(String bearer) {
        return io.restassured.RestAssured.given().header("Authorization", bearer).get("/api/v1/whoami").then()
                .extract().statusCode();
    }

    private long submitWith(String bearer) {
        return io.restassured.RestAssured.given().header("Authorization", bearer)
                .config(io.restassured.RestAssured.config().encoderConfig(io.restassured.config.EncoderConfig
                        .encoderConfig().encodeContentTypeAs(YAML, io.restassured.http.ContentType.TEXT)))
                .contentType(YAML).body(SecurityFixture.sweepYaml(fixture.a())).post("/api/v1/sweeps").then()
                .statusCode(201).extract().jsonPath().getLong("id");
    }

    private static int control(long sweep, String action, String bearer) {
        return io.restassured.RestAssured.given().header("Authorization", bearer)
                .post("/api/v1/sweeps/" + sweep + "/" + action).then().extract().statusCode();
    }

    private Map<Role, String> tokensOf(String project) {
        Map<Role, String> tokens = new LinkedHashMap<>();
        for (Role r : Role.values()) {
            tokens.put(r, SecurityFixture.token(project, r.wireName(), r.wireName() + "-of-" + project).bearer());
        }
        return tokens;
    }

    private Set<String> servedOperations() throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server + "q/openapi?format=json"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode paths = new ObjectMapper().readTree(r.body()).path("paths");
        Set<String> ids = new TreeSet<>();
        for (Iterator<JsonNode> it = paths.elements(); it.hasNext(); ) {
            JsonNode path = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.fields(); ops.hasNext(); ) {
                JsonNode op = ops.next().getValue();
                if (op.has("operationId")) {
                    ids.add(op.get("operationId").asText());
                }
            }
        }
        return ids;
    }

    /** The status of the call; streaming answers are closed as soon as their status is known. */
    private int send(Call call, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.toString().replaceAll("/$", "")
                + call.path())).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (call.contentType() != null) {
            b.header("Content-Type", call.contentType());
        }
        b.method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(call.body()));
        HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        r.body().close();
        return r.statusCode();
    }

    static List<String> operations() {
        return new ArrayList<>(RULES.keySet());
    }
}
