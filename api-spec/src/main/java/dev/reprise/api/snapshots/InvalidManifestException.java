package dev.reprise.api.snapshots;

import java.util.List;

/** A manifest breaks the snapshot rules; {@link #problems()} names each bad entry when the entries were readable. */
public final class InvalidManifestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<SnapshotManifest.Problem> problems;

    public InvalidManifestException(String message) {
        super(message);
        this.problems = List.of();
    }

    public InvalidManifestException(List<SnapshotManifest.Problem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<SnapshotManifest.Problem> problems() {
        return problems;
    }

    private static String summary(List<SnapshotManifest.Problem> problems) {
        SnapshotManifest.Problem first = problems.get(0);
        return problems.size() + " problem(s) in the manifest; first: '" + first.path() + "' " + first.message();
    }
}
