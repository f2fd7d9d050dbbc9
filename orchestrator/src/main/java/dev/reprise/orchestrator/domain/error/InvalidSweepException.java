package dev.reprise.orchestrator.domain.error;

import java.util.List;

/** The sweep document is well-formed but breaks the spec's rules; carries every field error found. */
public final class InvalidSweepException extends ProblemException {

    private final List<FieldError> errors;

    public InvalidSweepException(List<FieldError> errors) {
        super(errors.size() + " problem(s) in the sweep: " + errors.get(0).field() + ": " + errors.get(0).message());
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    @Override
    public ProblemType type() {
        return ProblemType.INVALID_SWEEP;
    }

    @Override
    public String detail() {
        return errors.size() == 1 ? "1 problem in the sweep" : errors.size() + " problems in the sweep";
    }

    @Override
    public List<FieldError> fieldErrors() {
        return errors;
    }
}
