package dev.reprise.agent.process;

import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * Routes SIGTERM and SIGINT sent to the agent (Kubernetes sends SIGTERM to PID 1 on pod deletion) to a handler
 * instead of letting the JVM exit, so the agent can forward them and still report the outcome.
 */
public final class SignalForwarding {

    private SignalForwarding() {
    }

    /** Installs the handlers; returns false when the JVM refuses (for instance under {@code -Xrs}). */
    public static boolean install(Consumer<String> onSignal) {
        try {
            for (String name : new String[] {"TERM", "INT"}) {
                Signal.handle(new Signal(name), s -> onSignal.accept(s.getName()));
            }
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            return false;
        }
    }
}
