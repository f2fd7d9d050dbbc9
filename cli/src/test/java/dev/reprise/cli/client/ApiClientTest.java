package dev.reprise.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.cli.ScriptedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ApiClientTest {

    @Test
    void encodesQueryValuesAndLeavesOutThoseThatAreNotSet() {
        ApiClient client = ApiClient.create(URI.create("http://orchestrator:8080"), Optional.empty(), "test");

        URI uri = client.resolve("/api/v1/sweeps",
                Query.of("project", "a b&c=d/é").and("status", null).and("page", 0).and("size", 50));

        assertThat(uri.toString())
                .isEqualTo("http://orchestrator:8080/api/v1/sweeps?project=a%20b%26c%3Dd%2F%C3%A9&page=0&size=50");
    }

    @Test
    void joinsAServerPathAndTheApiPathWithOneSlash() {
        ApiClient client = ApiClient.create(URI.create("https://example.com/reprise//"), Optional.empty(), "test");

        assertThat(client.resolve("/api/v1/runs/1", Query.empty()))
                .isEqualTo(URI.create("https://example.com/reprise/api/v1/runs/1"));
    }

    @Test
    void reportsAServerThatDoesNotAnswerInTimeAsUnreachable() throws Exception {
        CountDownLatch requestArrived = new CountDownLatch(1);
        CountDownLatch testDone = new CountDownLatch(1);
        try (ScriptedServer server = ScriptedServer.start()) {
            server.handle("GET", "/api/v1/sweeps/1", exchange -> {
                requestArrived.countDown();
                try {
                    testDone.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            ApiClient client = new ApiClient(server.uri(), Optional.empty(), http, Duration.ofMillis(300), "test");
            try {
                assertThatThrownBy(() -> client.get("/api/v1/sweeps/1", Query.empty()))
                        .isInstanceOf(ServerUnreachableException.class)
                        .hasMessage("Cannot reach the Reprise server at " + server.uri() + ": no answer within 300 ms");
                assertThat(requestArrived.getCount()).isZero();
            } finally {
                testDone.countDown();
            }
        }
    }

    @Test
    void returnsAMissingNodeForASuccessWithoutBody() {
        try (ScriptedServer server = ScriptedServer.start()) {
            server.reply("POST", "/api/v1/sweeps/1/cancel", 204, "application/json", "");
            ApiClient client = ApiClient.create(server.uri(), Optional.of("t"), "test");

            assertThat(client.post("/api/v1/sweeps/1/cancel", Query.empty(), Optional.empty()).isMissingNode()).isTrue();
        }
    }
}
