package dev.reprise.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, for real: {@code ./reprise up --demo} builds nothing (the jars are fresh), starts the
 * orchestrator with the local executor against the running services, submits the demo sweep, and the sweep runs to
 * completion through the agent; the CLI then lists it. Runs after packaging (failsafe), on its own port and home.
 */
class QuickStartIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static Path home;
    private static int port;

    private record Result(int exit, String out) {
    }

    private static Result reprise(String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder();
        pb.command().add(ROOT.resolve("reprise").toString());
        pb.command().addAll(List.of(args));
        pb.directory(ROOT.toFile());
        pb.redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("REPRISE_HOME", home.toString());
        env.put("REPRISE_HTTP_PORT", String.valueOf(port));
        env.put("REPRISE_SERVER", "http://127.0.0.1:" + port);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("reprise " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void freshHomeAndPort() throws IOException {
        home = Files.createTempDirectory("reprise-home");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    @AfterAll
    static void down() throws Exception {
        reprise("down", "--keep-services");
    }

    @Test
    void upWithTheDemoRunsASweepToCompletionThroughTheAgent() throws Exception {
        Result up = reprise("up", "--demo");
        assertThat(up.exit()).as(up.out()).isZero();
        assertThat(up.out()).contains("Reprise is up").contains("http://127.0.0.1:" + port);
        Matcher m = Pattern.compile("Submitted sweep (\\d+) .*: 12 runs").matcher(up.out());
        assertThat(m.find()).as(up.out()).isTrue();
        String id = m.group(1);

        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            Result sweep = reprise("sweep", id);
            return sweep.out().contains("SUCCEEDED") || sweep.out().contains("FAILED");
        });
        Result runs = reprise("runs", id, "-o", "json");
        assertThat(runs.exit()).isZero();
        assertThat(runs.out().split("\"state\"\\s*:\\s*\"SUCCEEDED\"", -1)).hasSize(13);
        Result sweep = reprise("sweep", id);
        assertThat(sweep.out()).contains("SUCCEEDED");
        assertThat(sweep.out()).as("the CLI shows the best run with its objective value and parameters")
                .containsPattern("Best run: +run \\d+ \\(#\\d+\\): val_accuracy = [0-9.]+ with \\w+=");

        Result second = reprise("up");
        assertThat(second.exit()).as("a second up is refused").isNotZero();
        assertThat(second.out()).contains("already running");
    }
}
