package dev.reprise.orchestrator.domain.error;

/** The addressed sweep, run or other resource does not exist. */
public final class NotFoundException extends ProblemException {

    public NotFoundException(String kind, Object id) {
        super(kind + " " + id + " does not exist");
    }

    /** Not found, with a message of its own. */
    public NotFoundException(String message) {
        super(message);
    }

    @Override
    public ProblemType type() {
        return ProblemType.NOT_FOUND;
    }
}
