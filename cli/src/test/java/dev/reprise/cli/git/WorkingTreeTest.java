package dev.reprise.cli.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkingTreeTest {

    @TempDir
    Path dir;

    private void git(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = dir.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor()).as(String.join(" ", args)).isZero();
    }

    @Test
    void recordsCommitBranchRemoteWithoutCredentialsAndDirtiness() throws Exception {
        git("init", "-q", "-b", "main");
        git("config", "user.email", "t@example.com");
        git("config", "user.name", "t");
        git("remote", "add", "origin", "https://bob:s3cret@github.com/acme/train.git");
        Files.writeString(dir.resolve("sweep.yaml"), "name: x\n");
        git("add", "sweep.yaml");
        git("commit", "-q", "-m", "first");

        WorkingTree.GitState clean = WorkingTree.of(dir).orElseThrow();
        assertThat(clean.commit()).matches("[0-9a-f]{40}");
        assertThat(clean.branch()).isEqualTo("main");
        assertThat(clean.repo()).isEqualTo("https://github.com/acme/train.git");
        assertThat(clean.dirty()).isFalse();

        Files.writeString(dir.resolve("sweep.yaml"), "name: y\n");
        assertThat(WorkingTree.of(dir).orElseThrow().dirty()).isTrue();
    }

    @Test
    void aDirectoryOutsideAnyRepositoryGivesNothing() {
        assertThat(WorkingTree.of(dir)).isEmpty();
    }

    @Test
    void keepsScpStyleRemotes() {
        assertThat(WorkingTree.withoutCredentials("git@github.com:acme/train.git"))
                .isEqualTo("git@github.com:acme/train.git");
    }
}
