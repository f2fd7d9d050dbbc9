package dev.reprise.orchestrator.application;

/** The caller is known but its role does not allow this on that project. */
public class AccessDeniedException extends RuntimeException {

    public AccessDeniedException(String message) {
        super(message);
    }
}
