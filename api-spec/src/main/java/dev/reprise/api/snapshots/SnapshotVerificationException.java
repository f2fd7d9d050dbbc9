package dev.reprise.api.snapshots;

/**
 * The snapshot's data does not verify: a blob is missing from the store, its bytes do not match the hash the manifest
 * records, or the manifest itself does not match the snapshot id. Retrying does not help; the snapshot must be pushed
 * again (or the run pointed at another one).
 */
public final class SnapshotVerificationException extends Exception {

    private static final long serialVersionUID = 1L;

    public SnapshotVerificationException(String message) {
        super(message);
    }
}
