package dev.reprise.orchestrator.domain.error;

/** The request contradicts the current state (a duplicate name, cancelling a finished sweep). */
public class ConflictException extends RuntimeException {

    private final String field;

    public ConflictException(String message, String field) {
        super(message);
        this.field = field;
    }

    /** The field the conflict is about, or null. */
    public String field() {
        return field;
    }
}
