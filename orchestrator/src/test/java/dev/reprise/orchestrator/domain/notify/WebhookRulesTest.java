package dev.reprise.orchestrator.domain.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.domain.error.FieldError;
import java.net.URI;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class WebhookRulesTest {

    private static final Predicate<URI> NOT_SELF = u -> false;

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    @Test
    void acceptsHttpAndHttpsReceiversWithKnownEvents() {
        assertThat(WebhookRules.validate("https://hooks.slack.com/services/T0/B0/x", List.of("sweep.finished",
                "run.failed"), "slack", NOT_SELF)).isEmpty();
        assertThat(WebhookRules.validate("http://10.0.0.5:9000/h", List.of("run.new_best"), null, NOT_SELF))
                .isEmpty();
    }

    @Test
    void refusesOtherSchemesUserInfoAndUrlsWithoutAHost() {
        for (String url : List.of("ftp://x/h", "file:///etc/passwd", "gopher://x", "mailto:a@b", "http:///nohost",
                "https://user:pw@example.com/", "not a url", "")) {
            assertThat(fields(WebhookRules.validate(url, List.of("sweep.finished"), null, NOT_SELF)))
                    .as(url).containsExactly("url");
        }
    }

    @Test
    void refusesTheOrchestratorItself() {
        assertThat(WebhookRules.validate("http://reprise.internal:8080/api", List.of("sweep.failed"), null,
                u -> u.getHost().equals("reprise.internal") && WebhookRules.port(u) == 8080))
                .singleElement().satisfies(e -> assertThat(e.message()).contains("itself"));
    }

    @Test
    void namesEachUnknownEventByItsIndexAndABadFormat() {
        assertThat(fields(WebhookRules.validate("https://x.example/h", List.of("sweep.finished", "sweep.exploded",
                "run.new_best"), "xml", NOT_SELF))).containsExactly("events[1]", "format");
        assertThat(fields(WebhookRules.validate("https://x.example/h", List.of(), null, NOT_SELF)))
                .containsExactly("events");
    }

    @Test
    void theDefaultPortFollowsTheScheme() {
        assertThat(WebhookRules.port(URI.create("https://x.example/h"))).isEqualTo(443);
        assertThat(WebhookRules.port(URI.create("http://x.example/h"))).isEqualTo(80);
        assertThat(WebhookRules.port(URI.create("http://x.example:81/h"))).isEqualTo(81);
    }

    @Test
    void slackMessagesCarryATextLineAndTheEvent() {
        var event = new java.util.LinkedHashMap<String, Object>();
        event.put("type", "run.failed");
        event.put("project", "vision");
        event.put("sweepName", "lr-search");
        event.put("runIndex", 4);
        event.put("failureCause", "OOM_KILLED");
        event.put("message", "exit 137");
        var slack = SlackMessage.of(EventType.RUN_FAILED, event);
        assertThat((String) slack.get("text")).isEqualTo(
                ":warning: Run #4 of sweep *lr-search* (vision) failed: OOM_KILLED — exit 137");
        assertThat(slack.get("reprise")).isEqualTo(event);
    }
}
