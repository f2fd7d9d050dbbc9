package dev.reprise.orchestrator.scheduling;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.persistence.WebhookStore;
import dev.reprise.orchestrator.security.SecurityFixture;
import dev.reprise.orchestrator.security.WebhookSignature;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The outbox across a restart: this orchestrator records events but sends nothing (as one that died before sending),
 * and a delivery worker started afterwards (as the restarted orchestrator's) finds the event in PostgreSQL and
 * delivers it, signed.
 */
@QuarkusTest
@TestProfile(WebhookOutboxRestartTest.WorkerOff.class)
class WebhookOutboxRestartTest {

    /** The orchestrator with the delivery worker off. */
    public static class WorkerOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("reprise.webhooks.enabled", "false");
        }
    }

    @Inject
    WebhookStore store;

    @Inject
    MeterRegistry registry;

    @Inject
    WebhookConfig config;

    private static List<Map<String, Object>> deliveries(String project, long hook) {
        return given().get("/api/v1/projects/{p}/webhooks/{id}/deliveries", project, hook).then().statusCode(200)
                .extract().jsonPath().getList("");
    }

    @Test
    void anEventRecordedBeforeARestartIsDeliveredByTheWorkerAfterIt() throws Exception {
        String project = "outbox-" + UUID.randomUUID().toString().substring(0, 8);
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            var created = given().contentType("application/json").body(Map.of("url", receiver.url(), "events",
                    List.of("sweep.finished"))).post("/api/v1/projects/{p}/webhooks", project).then().statusCode(201)
                    .extract().jsonPath();
            long hook = created.getLong("id");
            long sweep = SecurityFixture.submitSweep(project);
            given().post("/api/v1/sweeps/{id}/cancel", sweep).then().statusCode(200);
            // committed with the cancellation, waiting: no worker has touched it
            assertThat(deliveries(project, hook)).singleElement().satisfies(d -> assertThat(d)
                    .containsEntry("state", "PENDING").containsEntry("attempts", 0)
                    .containsEntry("event", "sweep.finished"));

            WebhookDispatcher restarted = new WebhookDispatcher(on(config), store, registry);
            restarted.onStart(null);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(
                        deliveries(project, hook).get(0).get("state")));
            } finally {
                restarted.onStop(null);
            }
            // at least once (docs/webhooks.md#delivery): a copy answered after the read timeout on a loaded machine
            // is sent again, as the same event
            assertThat(receiver.received()).isNotEmpty().extracting(r -> r.headers().get("x-reprise-event-id"))
                    .containsOnly(receiver.received().get(0).headers().get("x-reprise-event-id"));
            assertThat(receiver.received()).allSatisfy(r -> {
                assertThat(WebhookSignature.verifies(created.getString("secret"), r.body(),
                        r.headers().get("x-reprise-signature-256"))).isTrue();
                assertThat(r.text()).contains("\"sweepId\":" + sweep, "\"status\":\"CANCELLED\"");
            });
        }
    }

    /** The same settings with the worker on. */
    private static WebhookConfig on(WebhookConfig c) {
        return new WebhookConfig() {
            public boolean enabled() {
                return true;
            }

            public Duration pollInterval() {
                return c.pollInterval();
            }

            public int workers() {
                return c.workers();
            }

            public Duration connectTimeout() {
                return c.connectTimeout();
            }

            public Duration readTimeout() {
                return c.readTimeout();
            }

            public Duration firstRetryDelay() {
                return c.firstRetryDelay();
            }

            public Duration maxRetryDelay() {
                return c.maxRetryDelay();
            }

            public int maxAttempts() {
                return c.maxAttempts();
            }
        };
    }
}
