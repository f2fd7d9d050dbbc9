package dev.reprise.cli.data;

/** Pulled data does not match its snapshot: a blob is missing or corrupt in the store, or the manifest is wrong. */
public final class DataVerificationException extends RuntimeException {

    public DataVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
