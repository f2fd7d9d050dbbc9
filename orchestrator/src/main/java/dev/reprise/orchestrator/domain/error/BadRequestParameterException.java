package dev.reprise.orchestrator.domain.error;

import java.util.List;

/** A query or path parameter is out of range or unknown; maps to 400 naming the parameter. */
public final class BadRequestParameterException extends ProblemException {

    private final String field;

    public BadRequestParameterException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    @Override
    public ProblemType type() {
        return ProblemType.BAD_REQUEST;
    }

    @Override
    public List<FieldError> fieldErrors() {
        return List.of(new FieldError(field, getMessage()));
    }
}
