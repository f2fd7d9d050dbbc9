package dev.reprise.orchestrator.domain.error;

import java.util.List;

/**
 * A request the service cannot serve as asked: a query or path parameter out of range or unknown, runs too large to
 * compare; maps to 400 naming the field.
 */
public final class BadInputException extends ProblemException {

    private final String field;

    public BadInputException(String field, String message) {
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
