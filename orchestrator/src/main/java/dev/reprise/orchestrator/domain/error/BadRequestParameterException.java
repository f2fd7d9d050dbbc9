package dev.reprise.orchestrator.domain.error;

/** A query or path parameter is out of range or unknown; maps to 400 naming the parameter. */
public class BadRequestParameterException extends RuntimeException {

    private final String field;

    public BadRequestParameterException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
