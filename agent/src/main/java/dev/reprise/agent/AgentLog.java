package dev.reprise.agent;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The agent's own messages, on stderr beside the training process's, each prefixed {@code [reprise-agent]}. */
public final class AgentLog {

    private final PrintStream err;
    private final Set<String> said = ConcurrentHashMap.newKeySet();

    public AgentLog(PrintStream err) {
        this.err = err;
    }

    public void warn(String message) {
        synchronized (err) {
            err.println("[reprise-agent] " + message);
            err.flush();
        }
    }

    /** Says {@code message} only the first time {@code topic} comes up. */
    public void warnOnce(String topic, String message) {
        if (said.add(topic)) {
            warn(message);
        }
    }
}
