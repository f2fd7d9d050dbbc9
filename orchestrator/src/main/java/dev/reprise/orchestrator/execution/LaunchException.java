package dev.reprise.orchestrator.execution;

/** A trial could not be started. Retryable errors (timeouts, 429, 5xx) are tried again with backoff. */
public class LaunchException extends Exception {

    private final boolean retryable;

    public LaunchException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
