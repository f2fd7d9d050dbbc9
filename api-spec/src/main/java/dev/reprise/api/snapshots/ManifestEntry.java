package dev.reprise.api.snapshots;

/**
 * One file of a snapshot.
 *
 * @param path   relative path with {@code /} separators, see {@link SnapshotPaths}
 * @param size   length in bytes
 * @param sha256 SHA-256 of the content, 64 lowercase hex digits (no prefix)
 * @param mode   permission bits, 0 to 0777 (e.g. 420 = 0644, 493 = 0755)
 */
public record ManifestEntry(String path, long size, String sha256, int mode) {

    public static final int MAX_MODE = 0777;

    /** The mode as four octal digits, e.g. {@code 0644}. */
    public String octalMode() {
        return String.format("%04o", mode);
    }
}
