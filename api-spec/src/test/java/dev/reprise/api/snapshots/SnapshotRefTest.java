package dev.reprise.api.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnapshotRefTest {

    private static final String ID = "sha256:" + "0123456789abcdef".repeat(4);

    @Test
    void readsIdsNamesAndNamesWithTags() {
        assertThat(SnapshotRef.parse(ID)).contains(new SnapshotRef(ID, null, null));
        assertThat(SnapshotRef.parse("digits")).contains(new SnapshotRef(null, "digits", "latest"));
        assertThat(SnapshotRef.parse("digits:v3")).contains(new SnapshotRef(null, "digits", "v3"));
        assertThat(SnapshotRef.parse("imagenet-subset.small_1:2026-11.rc_1"))
                .contains(new SnapshotRef(null, "imagenet-subset.small_1", "2026-11.rc_1"));
        assertThat(SnapshotRef.parse("digits:v3").orElseThrow()).hasToString("digits:v3");
    }

    @Test
    void refusesWhatIsNeitherAnIdNorAName() {
        assertThat(SnapshotRef.parse(null)).isEmpty();
        assertThat(SnapshotRef.parse("")).isEmpty();
        assertThat(SnapshotRef.parse("Digits")).isEmpty();
        assertThat(SnapshotRef.parse("digits:")).isEmpty();
        assertThat(SnapshotRef.parse("digits:.v3")).isEmpty();
        assertThat(SnapshotRef.parse("digits:v3:x")).isEmpty();
        assertThat(SnapshotRef.parse("sha256:ABC")).isEmpty();
        assertThat(SnapshotRef.parse("uploads")).isEmpty();
        assertThat(SnapshotRef.nameProblem("sha256")).contains("'sha256' is reserved");
    }
}
