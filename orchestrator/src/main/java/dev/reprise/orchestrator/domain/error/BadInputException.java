package dev.reprise.orchestrator.domain.error;

/** A request the service cannot serve as asked (e.g. runs too large to compare); maps to 400 naming the field. */
public class BadInputException extends RuntimeException {

    private final String field;

    public BadInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
