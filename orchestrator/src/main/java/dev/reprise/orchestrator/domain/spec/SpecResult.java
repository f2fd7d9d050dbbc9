package dev.reprise.orchestrator.domain.spec;

import dev.reprise.orchestrator.domain.error.FieldError;
import java.util.List;

/** The outcome of reading a sweep document: a valid spec, or every problem found in it. */
public sealed interface SpecResult {

    record Valid(SweepSpec spec) implements SpecResult {
    }

    record Invalid(List<FieldError> errors) implements SpecResult {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }
}
