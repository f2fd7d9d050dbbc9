package dev.reprise.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code reprise-agent} started as a real JVM from the test class path, its output captured in files. */
final class AgentProcess {

    private final Process process;
    private final Path out;
    private final Path err;
    private final long startNanos = System.nanoTime();

    private AgentProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static AgentProcess start(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AgentMain.class.getName());
        command.add("run");
        command.addAll(List.of(args));
        Path out = dir.resolve("agent.out");
        Path err = dir.resolve("agent.err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("REPRISE_KAFKA_BOOTSTRAP");
        // an agent has the agents' Kafka credential, never the orchestrator's (which the test's environment holds)
        for (String v : java.util.List.of("REPRISE_KAFKA_USERNAME", "REPRISE_KAFKA_PASSWORD",
                "REPRISE_KAFKA_SASL_MECHANISM", "REPRISE_KAFKA_AGENT_USERNAME", "REPRISE_KAFKA_AGENT_PASSWORD")) {
            pb.environment().remove(v);
        }
        pb.environment().putAll(BrokerCredentials.agentEnvironment());
        pb.environment().put("REPRISE_AGENT_WORK_DIR", dir.resolve("work").toString());
        return new AgentProcess(pb.start(), out, err);
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    /** SIGTERM to the agent, as Kubernetes sends it on pod deletion. */
    void sigterm() {
        process.toHandle().destroy();
    }

    /** Waits for the agent to exit; returns its exit code. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("agent did not exit within " + timeout + "; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
