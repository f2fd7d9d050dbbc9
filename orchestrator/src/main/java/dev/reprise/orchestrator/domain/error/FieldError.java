package dev.reprise.orchestrator.domain.error;

/** One problem with a submitted document, located by a dotted field path such as {@code parameters.lr.min}. */
public record FieldError(String field, String message) {
}
