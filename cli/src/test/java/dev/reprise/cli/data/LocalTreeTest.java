package dev.reprise.cli.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTreeTest {

    @TempDir
    Path tmp;

    private Path tree() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("data"));
        Files.createDirectories(root.resolve("train/images"));
        Files.writeString(root.resolve("train/images/0.png"), "png");
        Files.writeString(root.resolve("README"), "readme");
        Path script = Files.writeString(root.resolve("prepare.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(root.resolve("README"), PosixFilePermissions.fromString("rw-rw----"));
        return root;
    }

    @Test
    void listsEveryFileWithItsSnapshotPathSizeAndNormalisedMode() throws Exception {
        Path root = tree();

        List<LocalTree.LocalFile> files = LocalTree.scan(root);

        assertThat(files).extracting(LocalTree.LocalFile::path, LocalTree.LocalFile::size, LocalTree.LocalFile::mode)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("README", 6L, 0644),
                        org.assertj.core.groups.Tuple.tuple("prepare.sh", 10L, 0755),
                        org.assertj.core.groups.Tuple.tuple("train/images/0.png", 3L, 0644));
    }

    @Test
    void followsSymbolicLinksThatStayInsideTheDirectory() throws Exception {
        Path root = tree();
        Files.createSymbolicLink(root.resolve("latest.png"), root.resolve("train/images/0.png"));
        Files.createSymbolicLink(root.resolve("all"), Path.of("train"));

        List<LocalTree.LocalFile> files = LocalTree.scan(root);

        assertThat(files).extracting(LocalTree.LocalFile::path)
                .contains("latest.png", "all/images/0.png", "train/images/0.png");
        assertThat(files).filteredOn(f -> f.path().equals("latest.png")).singleElement()
                .satisfies(f -> assertThat(f.source()).isEqualTo(root.toRealPath().resolve("train/images/0.png")));
    }

    @Test
    void refusesLinksLeavingTheDirectoryDanglingOrLoopingNamingEach() throws Exception {
        Path root = tree();
        Files.writeString(tmp.resolve("secret"), "s");
        Files.createSymbolicLink(root.resolve("escape"), tmp.resolve("secret"));
        Files.createSymbolicLink(root.resolve("train/up"), Path.of("../.."));
        Files.createSymbolicLink(root.resolve("gone"), root.resolve("nothing-here"));
        Files.createSymbolicLink(root.resolve("train/loop"), Path.of("."));

        assertThatThrownBy(() -> LocalTree.scan(root))
                .isInstanceOf(DataInputException.class)
                .hasMessageStartingWith("Cannot push " + root + ": 4 problems; nothing was uploaded.")
                .hasMessageContaining("escape -> " + tmp.resolve("secret") + ": symbolic link points outside the "
                        + "directory")
                .hasMessageContaining("train/up -> ../..: symbolic link points outside the directory")
                .hasMessageContaining("gone: symbolic link to a missing file")
                .hasMessageContaining("train/loop: symbolic link loop (leads back to train)");
    }

    @Test
    void refusesNamesTheStoreCannotHoldAndFilesThatAreNotRegular() throws Exception {
        Path root = tree();
        Files.writeString(root.resolve("line\nbreak.txt"), "x");
        Files.writeString(root.resolve("back\\slash"), "x");
        Path fifo = root.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();

        assertThatThrownBy(() -> LocalTree.scan(root))
                .isInstanceOf(DataInputException.class)
                .hasMessageContaining("3 problems")
                .hasMessageContaining("line\\x0abreak.txt: contains the control character U+000A")
                .hasMessageContaining("back\\slash: contains a backslash")
                .hasMessageContaining("pipe: not a regular file, directory or symbolic link");
    }

    @Test
    void refusesAnEmptyDirectoryAndAFile() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty/sub"));

        assertThatThrownBy(() -> LocalTree.scan(empty.getParent())).hasMessageEndingWith("it holds no files");
        assertThatThrownBy(() -> LocalTree.scan(Files.writeString(tmp.resolve("f"), "x")))
                .hasMessageEndingWith("is not a directory");
    }
}
