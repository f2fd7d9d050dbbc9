package dev.reprise.orchestrator.domain.error;

import java.util.List;

/** The request contradicts the current state (a duplicate name, cancelling a finished sweep). */
public final class ConflictException extends ProblemException {

    private final String field;

    public ConflictException(String message, String field) {
        super(message);
        this.field = field;
    }

    /** The field the conflict is about, or null. */
    public String field() {
        return field;
    }

    @Override
    public ProblemType type() {
        return ProblemType.CONFLICT;
    }

    @Override
    public List<FieldError> fieldErrors() {
        return field == null ? List.of() : List.of(new FieldError(field, getMessage()));
    }
}
