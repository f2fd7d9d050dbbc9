package dev.reprise.orchestrator.domain.error;

import java.util.List;

/** A snapshot request breaks the rules (bad manifest, missing blobs, bad name); names each offending field. */
public final class InvalidSnapshotException extends ProblemException {

    private final List<FieldError> errors;

    public InvalidSnapshotException(String detail, List<FieldError> errors) {
        super(detail);
        this.errors = List.copyOf(errors);
    }

    public InvalidSnapshotException(String field, String message) {
        this(message, List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    @Override
    public ProblemType type() {
        return ProblemType.INVALID_SNAPSHOT;
    }

    @Override
    public List<FieldError> fieldErrors() {
        return errors;
    }
}
