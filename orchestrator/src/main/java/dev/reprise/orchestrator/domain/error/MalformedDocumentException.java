package dev.reprise.orchestrator.domain.error;

/** The request body could not be read as a document at all (syntax, limits); maps to 400. */
public final class MalformedDocumentException extends ProblemException {

    public MalformedDocumentException(String message) {
        super(message);
    }

    @Override
    public ProblemType type() {
        return ProblemType.MALFORMED_DOCUMENT;
    }
}
