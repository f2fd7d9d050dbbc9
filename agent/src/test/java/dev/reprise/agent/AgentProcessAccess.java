package dev.reprise.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** {@link AgentProcess} for tests in other packages. */
public final class AgentProcessAccess {

    private final AgentProcess process;

    private AgentProcessAccess(AgentProcess process) {
        this.process = process;
    }

    public static AgentProcessAccess start(Path dir, Map<String, String> env, String... args) throws IOException {
        return new AgentProcessAccess(AgentProcess.start(dir, env, args));
    }

    public int waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout);
    }

    public void sigterm() {
        process.sigterm();
    }

    public String stderr() {
        return process.stderr();
    }
}
