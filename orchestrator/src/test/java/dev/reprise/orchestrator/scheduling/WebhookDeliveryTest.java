package dev.reprise.orchestrator.scheduling;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.reprise.orchestrator.security.WebhookSignature;
import dev.reprise.orchestrator.domain.run.FailureCause;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Webhooks against real receivers on 127.0.0.1: signed deliveries of real state changes, a receiver that is down and
 * comes back, one that hangs, one that keeps failing, and the requests the API refuses.
 */
@QuarkusTest
class WebhookDeliveryTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Inject
    TestingExecutor executor;

    @Inject
    Scheduler scheduler;

    @Inject
    ObjectiveWriter objective;

    record Hook(long id, String secret) {
    }

    private static String project() {
        return "hooks-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Hook subscribe(String project, String url, String format, String... events) {
        var json = given().contentType("application/json").body(Map.of("url", url, "events", List.of(events),
                "format", format)).post("/api/v1/projects/{p}/webhooks", project).then().statusCode(201)
                .extract().jsonPath();
        return new Hook(json.getLong("id"), json.getString("secret"));
    }

    private static int submit(String project, String queue, int trials) {
        String yaml = "name: s-" + UUID.randomUUID().toString().substring(0, 12) + "\nproject: " + project
                + "\nimage: python:3.12-slim\nprogram: train.py\nmethod: grid\nqueue: " + queue
                + "\nparallelism: " + trials + "\nmetric: {name: acc, goal: maximize}\n"
                + "parameters:\n  i:\n    min: 1\n    max: " + trials + "\n";
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("id");
    }

    private static List<Map<String, Object>> deliveries(String project, long hook) {
        return given().get("/api/v1/projects/{p}/webhooks/{id}/deliveries", project, hook).then().statusCode(200)
                .extract().jsonPath().getList("");
    }

    private static JsonNode body(WebhookReceiver.Received r) {
        try {
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON: " + r.text(), e);
        }
    }

    @Test
    void aSweepsEventsReachTheReceiverSignedWithTheSecretShownAtCreation() throws Exception {
        String project = project();
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            Hook hook = subscribe(project, receiver.url(), "json", "sweep.finished", "run.new_best", "run.failed");
            int sweep = submit(project, "lifecycle", 3);
            await().atMost(Duration.ofSeconds(20)).until(() -> executor.presentOf(sweep).size() == 3);
            List<TrialLaunch> three = executor.presentOf(sweep).stream()
                    .sorted(java.util.Comparator.comparingInt(TrialLaunch::index)).toList();
            // run 0 sets the first best, run 1 beats it, run 2 fails for good (USER_ERROR is not retried)
            objective.record(three.get(0).runId(), 0, "acc", 1, 0.5);
            executor.report(new TrialObservation.Succeeded(three.get(0).runId(), 0, Instant.now(), 0));
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 1);
            objective.record(three.get(1).runId(), 0, "acc", 1, 0.75);
            executor.report(new TrialObservation.Succeeded(three.get(1).runId(), 0, Instant.now(), 0));
            executor.report(new TrialObservation.Failed(three.get(2).runId(), 0, Instant.now(),
                    FailureCause.USER_ERROR, 3, "Traceback: ValueError"));

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 4);
            List<WebhookReceiver.Received> got = receiver.received();
            for (WebhookReceiver.Received r : got) {
                assertThat(WebhookSignature.verifies(hook.secret(), r.body(), r.headers().get("x-reprise-signature-256")))
                        .as("signature of %s", r.text()).isTrue();
                assertThat(r.headers()).containsEntry("content-type", "application/json")
                        .containsEntry("x-reprise-event", body(r).get("type").asText())
                        .containsKey("x-reprise-delivery");
            }
            assertThat(got).extracting(r -> body(r).get("type").asText()).containsExactlyInAnyOrder(
                    "run.new_best", "run.new_best", "run.failed", "sweep.finished");
            JsonNode second = got.stream().map(WebhookDeliveryTest::body).filter(b -> b.get("type").asText().equals("run.new_best")
                    && b.get("value").asDouble() == 0.75).findFirst().orElseThrow();
            assertThat(second.get("previousBest").asDouble()).isEqualTo(0.5);
            assertThat(second.get("project").asText()).isEqualTo(project);
            JsonNode failed = body(got.stream().filter(r -> r.text().contains("run.failed")).findFirst()
                    .orElseThrow());
            assertThat(failed.get("failureCause").asText()).isEqualTo("USER_ERROR");
            assertThat(failed.get("exitCode").asInt()).isEqualTo(3);
            JsonNode finished = got.stream().map(WebhookDeliveryTest::body)
                    .filter(b -> b.get("type").asText().equals("sweep.finished")).findFirst().orElseThrow();
            assertThat(finished.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(finished.get("runs").get("SUCCEEDED").asInt()).isEqualTo(2);
            assertThat(deliveries(project, hook.id())).hasSize(4).allSatisfy(d -> assertThat(d)
                    .containsEntry("state", "DELIVERED").containsEntry("attempts", 1).containsEntry("lastStatus", 200));
        }
    }

    @Test
    void aReceiverThatIsDownGetsTheEventOnceItComesBackAndNothingIsLost() throws Exception {
        String project = project();
        int port = WebhookReceiver.freePort();
        Hook hook = subscribe(project, "http://127.0.0.1:" + port + "/hooks", "json", "sweep.finished");
        long sweep = dev.reprise.orchestrator.security.SecurityFixture.submitSweep(project);
        given().post("/api/v1/sweeps/{id}/cancel", sweep).then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(project, hook.id()).stream().anyMatch(d ->
                ((Number) d.get("attempts")).intValue() >= 2));
        Map<String, Object> failing = deliveries(project, hook.id()).get(0);
        assertThat(failing).containsEntry("state", "PENDING").containsEntry("lastStatus", null);
        assertThat((String) failing.get("lastError")).contains("could not connect");

        try (WebhookReceiver back = WebhookReceiver.answeringOn(port)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(
                    deliveries(project, hook.id()).get(0).get("state")));
            assertThat(back.received()).singleElement().satisfies(r -> {
                assertThat(WebhookSignature.verifies(hook.secret(), r.body(),
                        r.headers().get("x-reprise-signature-256"))).isTrue();
                assertThat(body(r).get("status").asText()).isEqualTo("CANCELLED");
                assertThat(body(r).get("sweepId").asLong()).isEqualTo(sweep);
            });
        }
    }

    @Test
    void aHangingReceiverTimesOutWithoutHoldingUpTheSchedulerOrOtherReceivers() throws Exception {
        String project = project();
        try (WebhookReceiver hanging = WebhookReceiver.hanging();
                WebhookReceiver healthy = WebhookReceiver.answering(204)) {
            Hook stuck = subscribe(project, hanging.url(), "json", "sweep.finished");
            subscribe(project, healthy.url(), "json", "sweep.finished");
            long cancelled = dev.reprise.orchestrator.security.SecurityFixture.submitSweep(project);
            given().post("/api/v1/sweeps/{id}/cancel", cancelled).then().statusCode(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> !hanging.received().isEmpty());

            // while the receiver holds the request: the other receiver gets its copy and trials still launch
            await().atMost(Duration.ofSeconds(20)).until(() -> healthy.received().size() == 1);
            int sweep = submit(project, "lifecycle", 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> executor.presentOf(sweep).size() == 1);
            SchedulerRounds.awaitThreeMore(scheduler);

            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(project, stuck.id()).get(0)
                    .get("lastError") != null);
            assertThat((String) deliveries(project, stuck.id()).get(0).get("lastError")).contains("no answer within");
            assertThat(deliveries(project, stuck.id()).get(0)).containsEntry("state", "PENDING");
        }
    }

    @Test
    void aDeliveryWhoseAttemptsRunOutIsMarkedFailedAndListed() throws Exception {
        String project = project();
        try (WebhookReceiver broken = WebhookReceiver.answering(503)) {
            Hook hook = subscribe(project, broken.url(), "slack", "sweep.finished");
            long sweep = dev.reprise.orchestrator.security.SecurityFixture.submitSweep(project);
            given().post("/api/v1/sweeps/{id}/cancel", sweep).then().statusCode(200);

            await().atMost(Duration.ofSeconds(60)).until(() -> "FAILED".equals(
                    deliveries(project, hook.id()).get(0).get("state")));
            given().queryParam("state", "FAILED").get("/api/v1/projects/{p}/webhooks/{id}/deliveries", project,
                    hook.id()).then().statusCode(200).body("[0].attempts", equalTo(8))
                    .body("[0].lastStatus", equalTo(503)).body("[0].nextAttemptAt", nullValue())
                    .body("[0].event", equalTo("sweep.finished"));
            assertThat(broken.received()).hasSize(8);
            // the Slack format: a text line, the event under "reprise"
            JsonNode slack = body(broken.received().get(0));
            assertThat(slack.get("text").asText()).contains("ended CANCELLED");
            assertThat(slack.get("reprise").get("sweepId").asLong()).isEqualTo(sweep);
        }
    }

    @Test
    void refusesUrlsThatAreNotHttpOrPointAtTheOrchestratorAndUnknownEvents() {
        String project = project();
        for (String url : List.of("ftp://example.com/hook", "file:///etc/passwd", "javascript:alert(1)",
                "http://user:pw@example.com/hook")) {
            given().contentType("application/json").body(Map.of("url", url, "events", List.of("sweep.finished")))
                    .post("/api/v1/projects/{p}/webhooks", project).then().statusCode(422)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("url"));
        }
        for (String self : List.of("http://127.0.0.1:" + RestAssured.port + "/api/v1/sweeps",
                "http://localhost:" + RestAssured.port + "/")) {
            given().contentType("application/json").body(Map.of("url", self, "events", List.of("sweep.finished")))
                    .post("/api/v1/projects/{p}/webhooks", project).then().statusCode(422)
                    .body("errors[0].field", equalTo("url"))
                    .body("errors[0].message", org.hamcrest.Matchers.containsString("itself"));
        }
        given().contentType("application/json").body(Map.of("url", "https://example.com/h", "events",
                List.of("sweep.finished", "sweep.exploded"), "format", "xml"))
                .post("/api/v1/projects/{p}/webhooks", project).then().statusCode(422)
                .body("errors.field", hasItems("events[1]", "format"));
        given().contentType("application/json").body(Map.of("url", "https://example.com/h"))
                .post("/api/v1/projects/{p}/webhooks", project).then().statusCode(422)
                .body("errors[0].field", equalTo("events"));
        given().get("/api/v1/projects/{p}/webhooks", project).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void theSecretIsShownOnceAndAuditedNeverAndRemovalIsAudited() {
        String project = project();
        Hook hook = subscribe(project, "https://hooks.example.com/reprise", "json", "sweep.failed");
        assertThat(hook.secret()).startsWith("rpr_whk_");
        String list = given().get("/api/v1/projects/{p}/webhooks", project).then().statusCode(200)
                .body("[0].url", equalTo("https://hooks.example.com/reprise"))
                .body("[0].events", equalTo(List.of("sweep.failed"))).body("[0].secret", nullValue())
                .extract().asString();
        given().delete("/api/v1/projects/{p}/webhooks/{id}", project, hook.id()).then().statusCode(204);
        given().delete("/api/v1/projects/{p}/webhooks/{id}", project, hook.id()).then().statusCode(404);
        String audit = given().queryParam("project", project).queryParam("size", 100).get("/api/v1/audit").then()
                .statusCode(200).extract().asString();
        assertThat(List.of(list, audit)).noneMatch(answer -> answer.contains(hook.secret()));
        List<Map<String, Object>> entries = given().queryParam("project", project).get("/api/v1/audit").then()
                .extract().jsonPath().getList("items");
        assertThat(entries).extracting(e -> e.get("action")).contains("webhook.create", "webhook.remove");
        assertThat(entries).filteredOn(e -> "webhook.create".equals(e.get("action"))).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("target", "webhook:" + hook.id()));
    }
}
