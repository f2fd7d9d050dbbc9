package dev.reprise.orchestrator.domain.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvenanceRecordTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    private static Provenance withImage(String ref, String digest) {
        return new Provenance(1, 2, "s", "p", Instant.EPOCH, "text", "yaml", "0".repeat(64), "1".repeat(64),
                Map.of(), List.of(), Map.of(), ref, digest, "kubernetes", null, null, null, null, null, null, null,
                7L, null, null, null, null, null);
    }

    @Test
    void pinsTheRecordedRepositoryToThePulledDigest() {
        assertThat(withImage("ghcr.io/acme/train:1.2", "ghcr.io/acme/train@" + DIGEST).pinnedImage())
                .isEqualTo("ghcr.io/acme/train@" + DIGEST);
        assertThat(withImage("registry:5000/train", DIGEST).pinnedImage()).isEqualTo("registry:5000/train@" + DIGEST);
        assertThat(withImage("train@sha256:" + "cd".repeat(32), DIGEST).pinnedImage()).isEqualTo("train@" + DIGEST);
    }

    @Test
    void keepsTheReferenceWhenNoUsableDigestIsKnown() {
        assertThat(withImage("python:3.12", null).pinnedImage()).isEqualTo("python:3.12");
        assertThat(withImage("python:3.12", "docker.io/library/python:3.12").pinnedImage()).isEqualTo("python:3.12");
    }

    @Test
    void describesGpuModelsByCount() {
        assertThat(GpuModels.describe(List.of("NVIDIA H100 80GB HBM3"))).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(GpuModels.describe(List.of("NVIDIA A10", "NVIDIA A10"))).isEqualTo("2 x NVIDIA A10");
        assertThat(GpuModels.describe(List.of("B", "A", "B"))).isEqualTo("1 x A, 2 x B");
        assertThat(GpuModels.describe(List.of())).isNull();
    }
}
