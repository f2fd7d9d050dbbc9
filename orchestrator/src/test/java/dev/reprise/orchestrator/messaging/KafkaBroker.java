package dev.reprise.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.testing.NoSkipsInCi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The local Kafka broker that {@code scripts/services.sh} runs: stopped through its pid file (SIGTERM, a clean
 * shutdown) and started again with {@code services.sh start}, which starts only what is down and waits until the
 * broker answers.
 */
final class KafkaBroker {

    private KafkaBroker() {
    }

    /**
     * Skips the calling test when the broker is not one that services.sh started (in CI, where services.sh always
     * starts it, that fails the test instead: see {@link NoSkipsInCi}).
     */
    static void restart() {
        ProcessHandle broker = brokerProcess().orElse(null);
        NoSkipsInCi.assume(broker != null, "the Kafka broker was not started by scripts/services.sh (no live broker behind "
                + pidFile() + ")");
        broker.destroy();
        try {
            broker.onExit().get(90, TimeUnit.SECONDS);
            Process start = new ProcessBuilder(Path.of("..", "scripts", "services.sh").toString(), "start")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(start.waitFor(180, TimeUnit.SECONDS)).as("services.sh start finished").isTrue();
            assertThat(start.exitValue()).as("services.sh start exit code").isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the broker did not stop", e);
        }
    }

    /**
     * Where services.sh writes the broker's pid: {@code $REPRISE_SERVICES_DIR}, else {@code $HOME/.reprise/services}
     * (the shell's HOME, which can differ from Java's {@code user.home}, e.g. under sudo or a changed HOME).
     */
    static Path pidFile() {
        String home = System.getenv().getOrDefault("HOME", System.getProperty("user.home"));
        String dir = System.getenv().getOrDefault("REPRISE_SERVICES_DIR", home + "/.reprise/services");
        return Path.of(dir, "kafka", "kafka.pid");
    }

    private static Optional<ProcessHandle> brokerProcess() {
        Path pidFile = pidFile();
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).filter(p -> p.info().arguments()
                    .map(args -> String.join(" ", args).contains("kafka.Kafka")).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
