package dev.reprise.api.snapshots;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The paths a snapshot can hold: relative, {@code /}-separated, valid Unicode without control characters,
 * bidirectional controls (U+202A–U+202E, U+2066–U+2069) or backslashes, no empty, {@code .} or {@code ..} segment,
 * at most {@value #MAX_PATH_BYTES} bytes of UTF-8 and
 * {@value #MAX_SEGMENT_BYTES} bytes per segment. Every such path can be written back on Linux and macOS, and cannot
 * escape the directory it is pulled into.
 */
public final class SnapshotPaths {

    public static final int MAX_PATH_BYTES = 1024;
    public static final int MAX_SEGMENT_BYTES = 255;

    private SnapshotPaths() {
    }

    /** Why the store cannot hold {@code path}, or empty when it can. */
    public static Optional<String> problem(String path) {
        if (path == null || path.isEmpty()) {
            return Optional.of("the path is empty");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                return Optional.of(String.format("contains the control character U+%04X", (int) c));
            }
            if (c == '\\') {
                return Optional.of("contains a backslash");
            }
            if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
                return Optional.of(String.format("contains the bidirectional control character U+%04X, which makes "
                        + "a path display as something it is not", (int) c));
            }
            if (c == '\uFFFD') {
                return Optional.of("contains U+FFFD: the name is not valid UTF-8");
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= path.length() || !Character.isLowSurrogate(path.charAt(i + 1))) {
                    return Optional.of("is not valid Unicode (unpaired surrogate)");
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return Optional.of("is not valid Unicode (unpaired surrogate)");
            }
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            return Optional.of("is longer than " + MAX_PATH_BYTES + " bytes of UTF-8");
        }
        if (path.startsWith("/")) {
            return Optional.of("is absolute; paths are relative to the snapshot root");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return Optional.of("has an empty segment (a doubled or trailing '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("has a '" + segment + "' segment");
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                return Optional.of("has a name longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
        }
        return Optional.empty();
    }

    /** Orders paths by Unicode code point, which is the byte order of their UTF-8 forms. */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
