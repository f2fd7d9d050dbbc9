package dev.reprise.orchestrator.domain.error;

/** The object store did not answer, or answered with an error that is not about the object asked for. */
public final class ObjectStoreUnavailableException extends ProblemException {

    public ObjectStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ProblemType type() {
        return ProblemType.SERVICE_UNAVAILABLE;
    }

    /** The store's own message stays in the log: the caller learns only that it is unavailable. */
    @Override
    public String detail() {
        return "the object store is unavailable; try again later";
    }
}
