package dev.reprise.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    /** Skips the calling test when the broker is not one that services.sh started. */
    static void restart() {
        ProcessHandle broker = brokerProcess().orElse(null);
        assumeTrue(broker != null, "the Kafka broker was not started by scripts/services.sh");
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

    private static Optional<ProcessHandle> brokerProcess() {
        String dir = System.getenv().getOrDefault("REPRISE_SERVICES_DIR",
                System.getProperty("user.home") + "/.reprise/services");
        Path pidFile = Path.of(dir, "kafka", "kafka.pid");
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
