package dev.reprise.orchestrator.domain.error;

/** The request body could not be read as a document at all (syntax, limits); maps to 400. */
public class MalformedDocumentException extends RuntimeException {

    public MalformedDocumentException(String message) {
        super(message);
    }
}
