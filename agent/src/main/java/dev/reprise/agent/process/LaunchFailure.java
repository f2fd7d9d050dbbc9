package dev.reprise.agent.process;

/**
 * The command could not be started. {@code exitCode} follows the shell: 127 when it was not found, 126 when it was
 * found but could not be executed.
 */
public final class LaunchFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public LaunchFailure(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Classifies the JDK's "Cannot run program ...: error=N, ..." message. */
    static LaunchFailure of(String program, java.io.IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("error=2,") || m.contains("No such file")) {
            return new LaunchFailure("cannot run '" + program + "': command not found", 127, e);
        }
        String reason = m.contains("error=13,") ? "permission denied" : m.replaceFirst("^Cannot run program [^:]*: ", "");
        return new LaunchFailure("cannot run '" + program + "': " + reason, 126, e);
    }
}
