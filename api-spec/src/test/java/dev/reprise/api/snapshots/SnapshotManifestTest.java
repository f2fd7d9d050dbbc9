package dev.reprise.api.snapshots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotManifestTest {

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    @Test
    void writesSortedEntriesWithSortedKeysAndNoWhitespace() throws Exception {
        SnapshotManifest m = SnapshotManifest.of(List.of(
                new ManifestEntry("z/last.bin", 7, B, 0755),
                new ManifestEntry("a \"quoted\" é.txt", 3, A, 0644)));

        assertThat(new String(m.canonicalBytes(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"entries\":[{\"mode\":420,\"path\":\"a \\\"quoted\\\" é.txt\",\"sha256\":\"" + A + "\",\"size\":3},"
                        + "{\"mode\":493,\"path\":\"z/last.bin\",\"sha256\":\"" + B + "\",\"size\":7}],\"version\":1}");
        assertThat(m.fileCount()).isEqualTo(2);
        assertThat(m.totalBytes()).isEqualTo(10);
    }

    @Test
    void givesTheSameIdForTheSameFilesInAnyOrder() throws Exception {
        ManifestEntry x = new ManifestEntry("x", 1, A, 0644);
        ManifestEntry y = new ManifestEntry("y", 1, B, 0644);

        String id = SnapshotManifest.of(List.of(x, y)).id();

        assertThat(SnapshotManifest.of(List.of(y, x)).id()).isEqualTo(id);
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        assertThat(id).isEqualTo(Sha256.PREFIX + Sha256.hex(SnapshotManifest.of(List.of(x, y)).canonicalBytes()));
        assertThat(SnapshotManifest.of(List.of(x, new ManifestEntry("y", 1, B, 0755))).id()).isNotEqualTo(id);
    }

    @Test
    void keepsTheIdOfAKnownManifestStableAcrossReleases() throws Exception {
        SnapshotManifest m = SnapshotManifest.of(List.of(new ManifestEntry("data/train.csv", 11,
                "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9", 0644)));

        assertThat(m.id()).isEqualTo(Sha256.PREFIX + Sha256.hex("{\"entries\":[{\"mode\":420,\"path\":"
                + "\"data/train.csv\",\"sha256\":\"b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9\","
                + "\"size\":11}],\"version\":1}"));
    }

    @Test
    void ordersPathsByCodePointLikeTheirUtf8Bytes() throws Exception {
        SnapshotManifest m = SnapshotManifest.of(List.of(
                new ManifestEntry("\uD83D\uDE00", 1, A, 0644),
                new ManifestEntry("\uFF21", 1, A, 0644),
                new ManifestEntry("B", 1, A, 0644),
                new ManifestEntry("a", 1, A, 0644)));

        assertThat(m.entries()).extracting(ManifestEntry::path)
                .containsExactly("B", "a", "\uFF21", "\uD83D\uDE00");
    }

    @Test
    void readsBackItsOwnCanonicalBytes() throws Exception {
        SnapshotManifest m = SnapshotManifest.of(List.of(new ManifestEntry("d/e", 0, A, 0600),
                new ManifestEntry("d/f", 5, B, 0700)));

        assertThat(SnapshotManifest.parseCanonical(m.canonicalBytes())).isEqualTo(m);
    }

    @Test
    void refusesJsonThatIsNotExactlyCanonical() {
        String spaced = "{\"entries\": [],\"version\":1}";
        String unsorted = "{\"entries\":[{\"mode\":420,\"path\":\"b\",\"sha256\":\"" + A + "\",\"size\":1},"
                + "{\"mode\":420,\"path\":\"a\",\"sha256\":\"" + A + "\",\"size\":1}],\"version\":1}";
        String extraField = "{\"entries\":[{\"mode\":420,\"path\":\"a\",\"sha256\":\"" + A + "\",\"size\":1,"
                + "\"x\":1}],\"version\":1}";

        assertThatThrownBy(() -> SnapshotManifest.parseCanonical(spaced.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("canonical form");
        assertThatThrownBy(() -> SnapshotManifest.parseCanonical(unsorted.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("canonical form");
        assertThatThrownBy(() -> SnapshotManifest.parseCanonical(extraField.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("manifest entry must be");
        assertThatThrownBy(() -> SnapshotManifest.parseCanonical("nope".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not JSON");
    }

    @Test
    void namesEveryBadEntryWithItsIndex() {
        List<SnapshotManifest.Problem> problems = SnapshotManifest.problems(List.of(
                new ManifestEntry("ok", 1, A, 0644),
                new ManifestEntry("../escape", 1, A, 0644),
                new ManifestEntry("x", -1, "ABC", 01777),
                new ManifestEntry("ok", 1, A, 0644),
                new ManifestEntry("ok/inside", 1, A, 0644)));

        assertThat(problems).extracting(SnapshotManifest.Problem::index, SnapshotManifest.Problem::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "has a '..' segment"),
                        org.assertj.core.groups.Tuple.tuple(2, "sha256 must be 64 lowercase hex digits"),
                        org.assertj.core.groups.Tuple.tuple(2, "size must not be negative"),
                        org.assertj.core.groups.Tuple.tuple(2,
                                "mode must be permission bits between 0 and 0777 (511)"),
                        org.assertj.core.groups.Tuple.tuple(3, "is listed more than once"),
                        org.assertj.core.groups.Tuple.tuple(4, "'ok' is a file, so it cannot also be a directory"));
        assertThatThrownBy(() -> SnapshotManifest.of(List.of(new ManifestEntry("", 1, A, 0644))))
                .isInstanceOf(InvalidManifestException.class).hasMessageContaining("the path is empty");
    }
}
