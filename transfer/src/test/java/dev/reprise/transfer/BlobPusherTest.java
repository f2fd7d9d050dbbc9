package dev.reprise.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.reprise.api.blobs.PresignedUpload;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one pusher of the blob protocol against a store on 127.0.0.1 that answers what a real S3 endpoint answers in
 * the cases that matter: success, an expired URL (403), a digest mismatch (400 BadDigest), 5xx, and nobody listening.
 */
class BlobPusherTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final Deque<Integer> statuses = new ArrayDeque<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final BlobPusher pusher = new BlobPusher(HttpClient.newHttpClient(), Duration.ofSeconds(10));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void putsTheFilesBytesWithEveryHeaderTheUploadNames() throws Exception {
        Path file = file("weights");
        pusher.push(upload("/blob?v=1"), file, "model.bin", expired -> Optional.empty());
        assertThat(received).containsExactly("PUT /blob?v=1 sha=abc weights");
    }

    @Test
    void renewsAnExpiredUrlOnceAndPutsToTheFreshOne() throws Exception {
        statuses.add(403);
        pusher.push(upload("/blob?v=1"), file("w"), "model.bin", expired -> Optional.of(upload("/blob?v=2")));
        assertThat(received).containsExactly("PUT /blob?v=1 sha=abc w", "PUT /blob?v=2 sha=abc w");
    }

    @Test
    void stopsWithoutAnErrorWhenTheStoreHasTheBlobByTheTimeTheUrlIsRenewed() throws Exception {
        statuses.add(403);
        pusher.push(upload("/blob?v=1"), file("w"), "model.bin", expired -> Optional.empty());
        assertThat(received).hasSize(1);
    }

    @Test
    void saysTheFileChangedWhenTheStoreRefusesItsDigest() throws Exception {
        statuses.add(400);
        assertThatThrownBy(() -> pusher.push(upload("/blob"), file("w"), "model.bin", e -> Optional.empty()))
                .isInstanceOfSatisfying(BlobPushException.class, e -> assertThat(e.kind())
                        .isEqualTo(BlobPushException.Kind.CHANGED_SINCE_HASHED))
                .hasMessageContaining("model.bin: the file changed after it was hashed");
    }

    @Test
    void retriesServerErrorsAndSucceedsWhenTheStoreRecovers() throws Exception {
        statuses.add(503);
        statuses.add(500);
        pusher.push(upload("/blob"), file("w"), "model.bin", e -> Optional.empty());
        assertThat(received).hasSize(3);
    }

    @Test
    void givesUpAfterThreeServerErrorsSayingWhichStoreFailed() throws Exception {
        statuses.addAll(List.of(500, 500, 500));
        assertThatThrownBy(() -> pusher.push(upload("/blob"), file("w"), "model.bin", e -> Optional.empty()))
                .isInstanceOfSatisfying(BlobPushException.class, e -> assertThat(e.kind())
                        .isEqualTo(BlobPushException.Kind.FAILED))
                .hasMessageContaining("cannot upload model.bin to 127.0.0.1:" + server.getAddress().getPort());
        assertThat(received).hasSize(3);
    }

    @Test
    void refusesAtOnceOnAClientErrorOtherThanAnExpiredUrl() throws Exception {
        statuses.add(404);
        assertThatThrownBy(() -> pusher.push(upload("/blob"), file("w"), "model.bin", e -> Optional.empty()))
                .isInstanceOfSatisfying(BlobPushException.class, e -> assertThat(e.kind())
                        .isEqualTo(BlobPushException.Kind.REFUSED))
                .hasMessageContaining("HTTP 404");
        assertThat(received).hasSize(1);
    }

    @Test
    void saysTheStoreIsUnreachableWhenNobodyListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PresignedUpload nowhere = new PresignedUpload("abc", 1, "http://127.0.0.1:" + port + "/blob", Map.of());
        assertThatThrownBy(() -> pusher.push(nowhere, file("w"), "model.bin", e -> Optional.empty()))
                .isInstanceOfSatisfying(BlobPushException.class, e -> assertThat(e.kind())
                        .isEqualTo(BlobPushException.Kind.UNREACHABLE));
    }

    @Test
    void saysTheFileIsGoneWhenItWasDeletedAfterHashing() {
        assertThatThrownBy(() -> pusher.push(upload("/blob"), dir.resolve("deleted"), "model.bin",
                e -> Optional.empty()))
                .isInstanceOfSatisfying(BlobPushException.class, e -> assertThat(e.kind())
                        .isEqualTo(BlobPushException.Kind.FILE_GONE));
        assertThat(received).isEmpty();
    }

    private PresignedUpload upload(String path) {
        return new PresignedUpload("abc", 1, "http://127.0.0.1:" + server.getAddress().getPort() + path,
                Map.of("x-amz-checksum", "abc"));
    }

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("f-" + received.size() + "-" + content), content);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " sha="
                + exchange.getRequestHeaders().getFirst("x-amz-checksum") + " " + body);
        Integer status = statuses.poll();
        int code = status == null ? 200 : status;
        byte[] answer = (code == 400 ? "<Error><Code>BadDigest</Code></Error>" : "").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(code, answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }
}
