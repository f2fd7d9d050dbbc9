package dev.reprise.orchestrator.persistence;

/** A read query failed in the database (connection lost, statement refused): a server-side failure. */
public class QueryFailedException extends RuntimeException {

    public QueryFailedException(String what, Throwable cause) {
        super("query failed: " + what, cause);
    }
}
