package dev.reprise.orchestrator.domain.error;

import java.util.List;

/**
 * Every failure the service reports to a caller as a problem document: one closed family, each member knowing its
 * problem type, its detail text and the fields it is about. The API maps the family by lookup, without knowing the
 * members; lower layers throw them without knowing HTTP.
 */
public abstract sealed class ProblemException extends RuntimeException
        permits AccessDeniedException, BadInputException, ConflictException,
        InvalidRequestException, InvalidSnapshotException, InvalidSweepException, MalformedDocumentException,
        NotFoundException, ObjectStoreUnavailableException {

    protected ProblemException(String message) {
        super(message);
    }

    protected ProblemException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The problem type the caller receives. */
    public abstract ProblemType type();

    /** The problem document's detail: safe to show the caller. */
    public String detail() {
        return getMessage();
    }

    /** The fields the problem is about, each with its own message; empty when it is about the request as a whole. */
    public List<FieldError> fieldErrors() {
        return List.of();
    }
}
