package dev.reprise.orchestrator.domain.error;

/** The caller is known but its role does not allow this on that project. */
public final class AccessDeniedException extends ProblemException {

    public AccessDeniedException(String message) {
        super(message);
    }

    @Override
    public ProblemType type() {
        return ProblemType.FORBIDDEN;
    }
}
