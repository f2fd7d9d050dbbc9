package dev.reprise.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.Reprise;
import dev.reprise.cli.Reprise.Result;
import dev.reprise.cli.ScriptedServerTest;
import org.junit.jupiter.api.Test;

class WebhookCommandTest extends ScriptedServerTest {

    private static final String STORED = "\"id\":7,\"project\":\"vision\",\"url\":\"https://hooks.example.com/r\","
            + "\"events\":[\"sweep.finished\",\"run.failed\"],\"format\":\"slack\","
            + "\"createdAt\":\"2026-12-07T10:00:00Z\",\"createdBy\":\"mia\"";

    @Test
    void addSendsTheUrlEventsAndFormatAndPrintsTheSecretOnce() {
        server.replyJson("POST", "/api/v1/projects/vision/webhooks", 201, "{" + STORED
                + ",\"secret\":\"rpr_whk_abcdefghijklmnop\"}");

        Result result = Reprise.run(env, "webhook", "add", "https://hooks.example.com/r", "--event",
                "sweep.finished,run.failed", "--format", "slack", "-p", "vision");

        assertThat(result.exitCode()).isZero();
        assertThat(server.onlyRequest().bodyText()).isEqualTo("{\"url\":\"https://hooks.example.com/r\","
                + "\"events\":[\"sweep.finished\",\"run.failed\"],\"format\":\"slack\"}");
        assertThat(result.out()).contains("Added webhook 7", "rpr_whk_abcdefghijklmnop", "shown only now",
                "X-Reprise-Signature-256");
    }

    @Test
    void listShowsTheWebhooksAndRmDeletes() {
        server.replyJson("GET", "/api/v1/projects/vision/webhooks", 200, "[{" + STORED + ",\"secret\":null}]");
        server.reply("DELETE", "/api/v1/projects/vision/webhooks/7", 204, "application/json", "");

        Result ls = Reprise.run(env, "webhook", "ls", "-p", "vision");
        Result rm = Reprise.run(env, "webhook", "rm", "7", "-p", "vision");

        assertThat(ls.out()).contains("https://hooks.example.com/r", "sweep.finished,run.failed", "slack", "mia");
        assertThat(rm.exitCode()).isZero();
        assertThat(rm.out()).isEqualTo("Removed webhook 7 from project vision\n");
    }

    @Test
    void deliveriesShowsFailedAttemptsWithTheirError() {
        server.replyJson("GET", "/api/v1/projects/vision/webhooks/7/deliveries", 200, "[{\"id\":3,\"webhookId\":7,"
                + "\"eventId\":11,\"event\":\"sweep.finished\",\"state\":\"FAILED\",\"attempts\":10,"
                + "\"nextAttemptAt\":null,\"lastStatus\":503,\"lastError\":\"the receiver answered HTTP 503\","
                + "\"deliveredAt\":null,\"createdAt\":\"2026-12-07T10:00:00Z\"}]");

        Result result = Reprise.run(env, "webhook", "deliveries", "7", "--state", "FAILED", "-p", "vision");

        assertThat(result.exitCode()).isZero();
        assertThat(server.onlyRequest().query()).containsEntry("state", "FAILED");
        assertThat(result.out()).contains("FAILED", "503", "the receiver answered HTTP 503", "sweep.finished");
    }
}
