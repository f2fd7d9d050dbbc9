package dev.reprise.orchestrator.execution;

import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.testing.NoSkipsInCi;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The local Kafka broker that {@code scripts/services.sh} runs, killed with SIGKILL and started again with
 * {@code services.sh start}. Skips where the broker is not one that services.sh started (a failure in CI).
 */
public final class KafkaOutage implements AutoCloseable {

    private final int port;

    private KafkaOutage(int port) {
        this.port = port;
    }

    public static KafkaOutage begin() {
        String home = System.getenv().getOrDefault("HOME", System.getProperty("user.home"));
        Path pidFile = Path.of(System.getenv().getOrDefault("REPRISE_SERVICES_DIR", home + "/.reprise/services"),
                "kafka", "kafka.pid");
        ProcessHandle broker = broker(pidFile).orElse(null);
        NoSkipsInCi.assume(broker != null, "the Kafka broker was not started by scripts/services.sh (no live broker behind "
                + pidFile + ")");
        broker.destroyForcibly();
        try {
            broker.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not die", e);
        }
        return new KafkaOutage(Integer.parseInt(System.getenv().getOrDefault("REPRISE_KAFKA_PORT", "19092")));
    }

    /** Keeps the broker away for {@code d}, checking that nothing brought it back meanwhile. */
    public void holdFor(Duration d) {
        await().during(d).atMost(d.plusSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> !answers());
    }

    public boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Process start = new ProcessBuilder(Path.of("..", "scripts", "services.sh").toString(), "start")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return start.waitFor(170, TimeUnit.SECONDS) && start.exitValue() == 0 && answers();
        });
    }

    private static Optional<ProcessHandle> broker(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).filter(p -> p.info().arguments()
                    .map(args -> String.join(" ", args).contains("kafka.Kafka")).orElse(false));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
