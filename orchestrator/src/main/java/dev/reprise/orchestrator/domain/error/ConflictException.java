package dev.reprise.orchestrator.domain.error;

import java.util.List;

/** The request contradicts the current state (a duplicate name, cancelling a finished sweep). */
public final class ConflictException extends ProblemException {

    private final List<FieldError> errors;

    public ConflictException(String message, String field) {
        this(field == null ? List.of() : List.of(new FieldError(field, message)), message);
    }

    /** A conflict about several fields (e.g. each run of a request that cannot take it), each with its reason. */
    public ConflictException(List<FieldError> errors, String message) {
        super(message);
        this.errors = List.copyOf(errors);
    }

    /** The (first) field the conflict is about, or null. */
    public String field() {
        return errors.isEmpty() ? null : errors.get(0).field();
    }

    @Override
    public ProblemType type() {
        return ProblemType.CONFLICT;
    }

    @Override
    public List<FieldError> fieldErrors() {
        return errors;
    }
}
