package dev.reprise.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./reprise up} refuses what it cannot work with before it builds or starts anything, with a message that
 * says what to do, and a non-zero exit. (A second {@code up} is refused in {@link QuickStartIT}, which needs a
 * running stack.)
 */
class RepriseUpRefusalsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path home;

    private record Result(int exit, String out) {
    }

    private static Result up(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(ROOT.resolve("reprise").toString(), "up"));
        pb.directory(ROOT.toFile());
        pb.redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static void assertNothingStarted(Path home) {
        assertThat(home.resolve("orchestrator.pid")).doesNotExist();
        assertThat(home.resolve("orchestrator.log")).doesNotExist();
    }

    @Test
    void refusesAPortInUseByAnotherProgram() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Result r = up(Map.of("REPRISE_HOME", home.toString(),
                    "REPRISE_HTTP_PORT", Integer.toString(taken.getLocalPort())));

            assertThat(r.exit()).isNotZero();
            assertThat(r.out()).contains("port " + taken.getLocalPort() + " is in use")
                    .contains("REPRISE_HTTP_PORT").doesNotContain("building").doesNotContain("starting");
            assertNothingStarted(home);
        }
    }

    @Test
    void refusesAJavaOlderThan17() throws Exception {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho '    java.specification.version = 11' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path state = home.resolve("state");

        Result r = up(Map.of("REPRISE_HOME", state.toString(), "PATH", bin + ":/usr/bin:/bin"));

        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).contains("Java 17 or newer is required; found Java 11");
        assertThat(state).doesNotExist();
    }

    @Test
    void refusesADataDirectoryThatIsAFile() throws Exception {
        Path file = Files.writeString(home.resolve("not-a-dir"), "x");

        Result r = up(Map.of("REPRISE_HOME", file.toString()));

        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).contains(file + " (REPRISE_HOME) exists but is not a directory");
        assertThat(file).hasContent("x");
    }

    @Test
    void setsAsideAPidFileThatHoldsNoProcessId() throws Exception {
        Files.writeString(home.resolve("orchestrator.pid"), "garbage\u0000\n");
        try (ServerSocket taken = new ServerSocket(0)) {
            Result r = up(Map.of("REPRISE_HOME", home.toString(),
                    "REPRISE_HTTP_PORT", Integer.toString(taken.getLocalPort())));

            // the corrupt pid file neither crashes the script nor counts as a running orchestrator: the next check
            // (the port) decides
            assertThat(r.out()).contains("ignoring an unreadable").contains("is in use")
                    .doesNotContain("already running");
            assertNothingStarted(home);
        }
    }
}
