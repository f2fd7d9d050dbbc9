package dev.reprise.orchestrator.domain.spec;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a sweep's inputs come from: the data snapshot and the code's git reference. Part of {@link SweepSpecParser};
 * pure.
 */
final class InputSections {

    private static final Pattern SNAPSHOT = Pattern.compile(
            "sha256:[0-9a-f]{64}|[a-z0-9]([-a-z0-9_.]*[a-z0-9])?(:[A-Za-z0-9_][-A-Za-z0-9_.]{0,127})?");
    private static final Pattern GIT_COMMIT = Pattern.compile("[0-9a-f]{7,40}");

    private InputSections() {
    }

    static DataRef data(Fields f, Errors errors) {
        Map<?, ?> raw = f.object("data");
        if (raw == null) {
            return null;
        }
        Fields d = new Fields(raw, "data", errors);
        String snapshot = d.string("snapshot", 255, SNAPSHOT,
                "must be a snapshot name with an optional tag (digits:v3) or an id sha256:<64 hex digits>");
        if (snapshot == null && !d.has("snapshot")) {
            errors.add("data.snapshot", "is required");
        }
        String mount = d.string("mount_path", 1024, Pattern.compile("/\\S*"), "must be an absolute path");
        d.rejectUnknown();
        return new DataRef(snapshot, mount == null ? "/data" : mount);
    }

    static GitRef git(Fields f, Errors errors) {
        Map<?, ?> raw = f.object("git");
        if (raw == null) {
            return null;
        }
        Fields g = new Fields(raw, "git", errors);
        GitRef ref = new GitRef(g.string("repo", 1024, null, null),
                g.string("commit", 40, GIT_COMMIT, "must be a git commit id (7 to 40 lower-case hex digits)"),
                g.string("branch", 255, null, null), g.bool("dirty"));
        g.rejectUnknown();
        return ref;
    }
}
