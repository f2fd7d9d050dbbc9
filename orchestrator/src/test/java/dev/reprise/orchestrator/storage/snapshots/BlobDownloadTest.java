package dev.reprise.orchestrator.storage.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.storage.ObjectStore;
import io.minio.PutObjectArgs;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An uploaded file is only ever handed out as a download: a run that uploads {@code index.html} with
 * {@code Content-Type: text/html} (as a trial, or anyone with an upload URL, can) must not get a page rendered in the
 * object store's origin, which shares the host with the dashboard. Tried against the real S3 server.
 */
@QuarkusTest
class BlobDownloadTest {

    @Inject
    ObjectStore store;

    @Inject
    SnapshotStore snapshots;

    @Test
    void anUploadedHtmlPageComesBackAsAnAttachmentOfNeutralType() throws Exception {
        byte[] page = "<html><script>fetch('/api/v1/tokens',{method:'POST'})</script></html>"
                .getBytes(StandardCharsets.UTF_8);
        String key = "test/blob-download/" + UUID.randomUUID() + "/index.html";
        store.client().putObject(PutObjectArgs.builder().bucket(store.bucket()).object(key)
                .contentType("text/html").stream(new ByteArrayInputStream(page), page.length, -1).build());

        for (String name : new String[] {"reports/index.html", null}) {
            String url = snapshots.presignGet(key, Duration.ofMinutes(5), name);
            assertThat(url).contains("response-content-disposition=attachment")
                    .contains("response-content-type=application%2Foctet-stream");
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(page);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/octet-stream");
            assertThat(r.headers().firstValue("Content-Disposition")).get().asString().startsWith("attachment")
                    .satisfies(d -> assertThat(name == null || d.contains("filename*=UTF-8''index.html")).isTrue());
        }
    }
}
