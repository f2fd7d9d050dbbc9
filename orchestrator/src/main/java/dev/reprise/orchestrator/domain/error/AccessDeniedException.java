package dev.reprise.orchestrator.domain.error;

/** The caller is known but its role does not allow this on that project. */
public class AccessDeniedException extends RuntimeException {

    public AccessDeniedException(String message) {
        super(message);
    }
}
