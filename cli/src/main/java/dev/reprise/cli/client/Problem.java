package dev.reprise.cli.client;

import java.util.List;

/** An RFC 9457 problem detail as the orchestrator sends it with {@code application/problem+json}. */
public record Problem(String type, String title, Integer status, String detail, String instance, List<FieldError> errors) {

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** One invalid field, e.g. {@code parameters.lr.min}: {@code min (5.0) must not exceed max (1.0)}. */
    public record FieldError(String field, String message) {
    }
}
