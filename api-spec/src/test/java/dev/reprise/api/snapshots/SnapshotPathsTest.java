package dev.reprise.api.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnapshotPathsTest {

    @Test
    void acceptsOrdinaryRelativePathsIncludingUnicodeAndSpaces() {
        assertThat(SnapshotPaths.problem("train/images/0001.png")).isEmpty();
        assertThat(SnapshotPaths.problem("données/été 2026/ü.csv")).isEmpty();
        assertThat(SnapshotPaths.problem(".hidden/.config")).isEmpty();
        assertThat(SnapshotPaths.problem("\uD83D\uDE00.txt")).isEmpty();
    }

    @Test
    void refusesPathsThatCouldEscapeOrCannotBeWrittenBack() {
        assertThat(SnapshotPaths.problem("")).contains("the path is empty");
        assertThat(SnapshotPaths.problem("/etc/passwd"))
                .contains("is absolute; paths are relative to the snapshot root");
        assertThat(SnapshotPaths.problem("a/../../b")).contains("has a '..' segment");
        assertThat(SnapshotPaths.problem("a/./b")).contains("has a '.' segment");
        assertThat(SnapshotPaths.problem("a//b")).contains("has an empty segment (a doubled or trailing '/')");
        assertThat(SnapshotPaths.problem("a/")).contains("has an empty segment (a doubled or trailing '/')");
        assertThat(SnapshotPaths.problem("line\nbreak")).contains("contains the control character U+000A");
        assertThat(SnapshotPaths.problem("del\u007f")).contains("contains the control character U+007F");
        assertThat(SnapshotPaths.problem("invoice\u202Efdp.exe")).get().asString()
                .startsWith("contains the bidirectional control character U+202E");
        assertThat(SnapshotPaths.problem("a/\u2066b")).get().asString().contains("U+2066");
        assertThat(SnapshotPaths.problem("win\\dows")).contains("contains a backslash");
        assertThat(SnapshotPaths.problem("bad\uFFFDutf8")).contains("contains U+FFFD: the name is not valid UTF-8");
        assertThat(SnapshotPaths.problem("half\uD83D")).contains("is not valid Unicode (unpaired surrogate)");
    }

    @Test
    void limitsPathsTo1024BytesAndNamesTo255Bytes() {
        String name255 = "n".repeat(255);
        assertThat(SnapshotPaths.problem(name255)).isEmpty();
        assertThat(SnapshotPaths.problem(name255 + "n")).contains("has a name longer than 255 bytes");
        assertThat(SnapshotPaths.problem("é".repeat(128))).contains("has a name longer than 255 bytes");
        String path1024 = ("d".repeat(99) + "/").repeat(10) + "f".repeat(24);
        assertThat(path1024).hasSize(1024);
        assertThat(SnapshotPaths.problem(path1024)).isEmpty();
        assertThat(SnapshotPaths.problem(path1024 + "f")).contains("is longer than 1024 bytes of UTF-8");
    }
}
