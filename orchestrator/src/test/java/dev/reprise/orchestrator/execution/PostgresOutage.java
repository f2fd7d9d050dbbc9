package dev.reprise.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.testing.NoSkipsInCi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The local PostgreSQL server that {@code scripts/services.sh} runs, killed with SIGKILL (no shutdown of any kind: its
 * backends die with it) and started again with {@code services.sh start}. Skips where the server is not one that
 * services.sh started (a failure in CI: {@code NoSkipsInCi}).
 */
public final class PostgresOutage implements AutoCloseable {

    private final int port;

    private PostgresOutage(int port) {
        this.port = port;
    }

    /** Kills the server now; {@link #close()} starts it again. */
    public static PostgresOutage begin() {
        Path data = dataDir();
        ProcessHandle postmaster = postmaster(data).orElse(null);
        NoSkipsInCi.assume(postmaster != null, "PostgreSQL was not started by scripts/services.sh (no live server behind "
                + data.resolve("postmaster.pid") + ")");
        int port = port(data);
        List<ProcessHandle> backends = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        backends.forEach(ProcessHandle::destroyForcibly);
        try {
            postmaster.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL did not die", e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> backends.stream().noneMatch(ProcessHandle::isAlive));
        PostgresOutage outage = new PostgresOutage(port);
        assertThat(outage.answers()).as("PostgreSQL on port " + port + " after SIGKILL").isFalse();
        return outage;
    }

    /** Keeps the database away for {@code d}, checking that nothing brought it back meanwhile. */
    public void holdFor(Duration d) {
        await().during(d).atMost(d.plusSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> !answers());
    }

    /** Whether something accepts connections on the server's port. */
    public boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts the server again (services.sh start) and waits until it answers. */
    @Override
    public void close() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Process start = new ProcessBuilder(Path.of("..", "scripts", "services.sh").toString(), "start")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return start.waitFor(100, TimeUnit.SECONDS) && start.exitValue() == 0 && answers();
        });
    }

    private static Path dataDir() {
        String home = System.getenv().getOrDefault("HOME", System.getProperty("user.home"));
        String dir = System.getenv().getOrDefault("REPRISE_SERVICES_DIR", home + "/.reprise/services");
        return Path.of(dir, "postgres", "data");
    }

    private static Optional<ProcessHandle> postmaster(Path data) {
        try {
            List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"));
            long pid = Long.parseLong(lines.get(0).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static int port(Path data) {
        try {
            return Integer.parseInt(Files.readAllLines(data.resolve("postmaster.pid")).get(3).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
