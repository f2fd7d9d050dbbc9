package dev.reprise.transfer;

import java.io.IOException;

/** A blob that could not be put into the store, and why, so each client can word it for its user. */
public final class BlobPushException extends IOException {

    /** Why the push failed. */
    public enum Kind {
        /** The store refused the bytes for not matching their SHA-256: the file changed after it was hashed. */
        CHANGED_SINCE_HASHED,
        /** The file is gone since it was hashed. */
        FILE_GONE,
        /** The store answered with an error that retrying will not fix. */
        REFUSED,
        /** The store could not be reached (connection refused or timed out) on every try. */
        UNREACHABLE,
        /** Every try failed otherwise (5xx answers, broken connections). */
        FAILED
    }

    private final Kind kind;

    public BlobPushException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
