package dev.reprise.api.snapshots;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a snapshot is named: an immutable id {@code sha256:<64 hex>}, or a mutable pointer {@code name[:tag]} whose tag
 * defaults to {@value #DEFAULT_TAG}. Exactly one of {@link #id()} and {@link #name()} is set.
 */
public record SnapshotRef(String id, String name, String tag) {

    public static final String DEFAULT_TAG = "latest";
    public static final int MAX_NAME = 126;
    public static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9_.]*[a-z0-9])?");
    public static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][-A-Za-z0-9_.]{0,127}");
    /** Names that would read as something else: {@code sha256:…} is an id, {@code uploads} an endpoint. */
    public static final Set<String> RESERVED_NAMES = Set.of("sha256", "uploads");

    /** Parses {@code sha256:<hex>}, {@code name} or {@code name:tag}; empty when it is none of these. */
    public static Optional<SnapshotRef> parse(String ref) {
        if (ref == null) {
            return Optional.empty();
        }
        if (ref.startsWith(Sha256.PREFIX) && Sha256.isHex(ref.substring(Sha256.PREFIX.length()))) {
            return Optional.of(new SnapshotRef(ref, null, null));
        }
        int colon = ref.indexOf(':');
        String name = colon < 0 ? ref : ref.substring(0, colon);
        String tag = colon < 0 ? DEFAULT_TAG : ref.substring(colon + 1);
        if (nameProblem(name).isPresent() || tagProblem(tag).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new SnapshotRef(null, name, tag));
    }

    public static boolean isId(String ref) {
        return ref != null && ref.startsWith(Sha256.PREFIX) && Sha256.isHex(ref.substring(Sha256.PREFIX.length()));
    }

    /** Why {@code name} cannot name snapshots, or empty. */
    public static Optional<String> nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("is empty");
        }
        if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            return Optional.of("must be lowercase letters, digits, '-', '_' and '.', start and end with a letter or "
                    + "digit, at most " + MAX_NAME + " characters");
        }
        if (RESERVED_NAMES.contains(name)) {
            return Optional.of("'" + name + "' is reserved");
        }
        return Optional.empty();
    }

    /** Why {@code tag} cannot be a tag, or empty. */
    public static Optional<String> tagProblem(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            return Optional.of("must be 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
        }
        return Optional.empty();
    }

    public boolean isId() {
        return id != null;
    }

    @Override
    public String toString() {
        return id != null ? id : name + ":" + tag;
    }
}
