package dev.reprise.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.StopReason;
import dev.reprise.orchestrator.messaging.ReportIngest;
import dev.reprise.orchestrator.messaging.Reports;
import dev.reprise.orchestrator.messaging.TestRuns;
import dev.reprise.orchestrator.metrics.LiveFeed;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** GET /runs/{id}/live: Server-Sent Events with the points the ingest just committed, and attempt ends. */
@QuarkusTest
class RunLiveStreamTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URL server;

    @Inject
    ReportIngest ingest;

    @Inject
    LiveFeed feed;

    @Test
    void streamsNewPointsOfTheFollowedKeysAndTheEndOfTheAttempt() {
        await().atMost(PATIENCE).until(ingest::ready);
        long run = TestRuns.create();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<HttpResponse<Stream<String>>> response = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create(server + "api/v1/runs/" + run + "/live?key=acc"))
                        .header("Accept", "text/event-stream")
                        .header("Authorization", dev.reprise.orchestrator.security.TestCredentials.adminBearer())
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> r.body().forEach(lines::add));
        try {
            await().atMost(PATIENCE).until(() -> feed.hasSubscribers(run));
            try (Reports reports = new Reports()) {
                reports.batch(run, 0, 0, List.of(Reports.point("loss", 0, 0.5, 0), Reports.point("acc", 0, 0.25, 1)));
                reports.send(new RunEvent.Finished(run, 0, 1, 0, StopReason.COMPLETED, null,
                        System.currentTimeMillis()));
            }
            await().atMost(PATIENCE).until(() -> lines.stream().anyMatch(l -> l.contains("\"exitCode\":0")));
            assertThat(response.join().statusCode()).isEqualTo(200);
            assertThat(lines).anySatisfy(l -> assertThat(l).matches("event: ?points"))
                    .anySatisfy(l -> assertThat(l).matches("event: ?finished"))
                    .anySatisfy(l -> assertThat(l).contains("\"key\":\"acc\"").contains("\"value\":0.25"))
                    .noneSatisfy(l -> assertThat(l).contains("\"key\":\"loss\""));
        } finally {
            response.cancel(true);
        }
    }

    @Test
    void answersAnUnknownRunWith404() {
        HttpResponse<String> r = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create(server + "api/v1/runs/999999999/live"))
                        .header("Accept", "text/event-stream")
                        .header("Authorization", dev.reprise.orchestrator.security.TestCredentials.adminBearer())
                        .build(),
                HttpResponse.BodyHandlers.ofString()).join();
        assertThat(r.statusCode()).isEqualTo(404);
    }
}
