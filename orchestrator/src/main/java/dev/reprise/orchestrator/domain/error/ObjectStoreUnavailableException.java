package dev.reprise.orchestrator.domain.error;

/** The object store did not answer, or answered with an error that is not about the object asked for. */
public class ObjectStoreUnavailableException extends RuntimeException {

    public ObjectStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
