package dev.reprise.api.blobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.api.snapshots.ManifestEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BlobTransferTest {

    @Test
    void writesAnUploadRequestWithTheBlobsAndTheManifestAskedAbout() {
        String json = new String(BlobTransfer.uploadRequest(List.of(new BlobRef("aa", 3), new BlobRef("bb", 4)),
                Optional.of(new BlobRef("cc", 5))), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"blobs\":[{\"sha256\":\"aa\",\"size\":3},{\"sha256\":\"bb\",\"size\":4}],"
                + "\"manifest\":{\"sha256\":\"cc\",\"size\":5}}");
    }

    @Test
    void asksAboutTheManifestAloneWithoutAnEmptyBlobList() {
        assertThat(new String(BlobTransfer.uploadRequest(List.of(), Optional.of(new BlobRef("cc", 5))),
                StandardCharsets.UTF_8)).isEqualTo("{\"manifest\":{\"sha256\":\"cc\",\"size\":5}}");
    }

    @Test
    void writesACommitWithItsFieldsAndEntriesLeavingOutAbsentFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", "digits");
        fields.put("tag", null);
        String json = new String(BlobTransfer.write(BlobTransfer.manifestCommit(
                List.of(new ManifestEntry("a/b.txt", 2, "aa", 0644)), fields)), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"name\":\"digits\",\"manifest\":{\"entries\":[{\"path\":\"a/b.txt\","
                + "\"size\":2,\"sha256\":\"aa\",\"mode\":420}]}}");
    }

    @Test
    void readsAnUploadPlanWithItsHeadersManifestAndExpiry() {
        UploadPlan plan = BlobTransfer.plan(("{\"missing\":[{\"sha256\":\"aa\",\"size\":3,\"url\":\"http://s/aa\","
                + "\"headers\":{\"x-amz-checksum-sha256\":\"qq==\"}}],\"present\":2,\"manifest\":{\"sha256\":\"cc\","
                + "\"size\":5,\"url\":\"http://s/cc\",\"headers\":{}},\"expiresAt\":\"2026-12-07T23:00:00Z\","
                + "\"later\":true}").getBytes(StandardCharsets.UTF_8));
        assertThat(plan.missing()).containsExactly(new PresignedUpload("aa", 3, "http://s/aa",
                Map.of("x-amz-checksum-sha256", "qq==")));
        assertThat(plan.present()).isEqualTo(2);
        assertThat(plan.manifest()).contains(new PresignedUpload("cc", 5, "http://s/cc", Map.of()));
        assertThat(plan.expiresAt()).isEqualTo(Instant.parse("2026-12-07T23:00:00Z"));
    }

    @Test
    void refusesAnAnswerThatIsNotAnObject() {
        assertThatThrownBy(() -> BlobTransfer.plan("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an upload plan");
    }
}
