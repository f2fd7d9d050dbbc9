package dev.reprise.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real agent ({@code agent/target/reprise-agent.jar}) as a child process, reporting to the real Kafka. */
final class AgentProcess implements AutoCloseable {

    static final Path JAR = Path.of("..", "agent", "target", "reprise-agent.jar");

    private final Process process;
    private final Path output;

    private AgentProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code reprise-agent run} for the run attempt, wrapping {@code command}. */
    static AgentProcess start(long runId, int attempt, Path workDir, List<String> command, String... options) {
        assertThat(JAR).as("the agent jar; build it with ./mvnw -q install -DskipTests -pl api-spec,agent")
                .exists();
        List<String> args = new ArrayList<>(List.of(javaBinary(), "-jar", JAR.toString(), "run",
                "--run-id", Long.toString(runId), "--attempt", Integer.toString(attempt),
                "--kafka-bootstrap", Reports.bootstrap(), "--heartbeat-interval", "1s",
                "--work-dir", workDir.resolve("agent").toString()));
        args.addAll(List.of(options));
        args.add("--");
        args.addAll(command);
        Path output = workDir.resolve("agent-output.txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(output.toFile());
            // the agents' Kafka credential, as a trial's agent gets it (never the orchestrator's, which the tests have)
            pb.environment().putAll(KafkaTestCredentials.agentEnvironment());
            pb.environment().put("REPRISE_RUN_TOKEN",
                    dev.reprise.orchestrator.security.TestCredentials.runToken(runId, attempt));
            Process p = pb.start();
            return new AgentProcess(p, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits for the agent to exit; returns its exit code. */
    int waitFor(long seconds) {
        try {
            assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as("agent exited; its output:\n" + output())
                    .isTrue();
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends SIGTERM to the agent (only the agent: it forwards the signal to the training process). */
    void terminate() {
        process.destroy();
    }

    String output() {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
