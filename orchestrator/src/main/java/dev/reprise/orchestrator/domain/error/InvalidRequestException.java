package dev.reprise.orchestrator.domain.error;

import java.util.List;

/** A request body (other than a sweep) breaks its rules; each error names its field. */
public final class InvalidRequestException extends ProblemException {

    private final List<FieldError> errors;

    public InvalidRequestException(List<FieldError> errors) {
        super(errors.size() == 1 ? "1 problem in the request" : errors.size() + " problems in the request");
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    @Override
    public ProblemType type() {
        return ProblemType.INVALID_REQUEST;
    }

    @Override
    public List<FieldError> fieldErrors() {
        return errors;
    }
}
