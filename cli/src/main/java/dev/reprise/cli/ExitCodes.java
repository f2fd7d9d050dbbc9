package dev.reprise.cli;

/** What {@code reprise} exits with. */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The server answered with an error (a problem detail), or with something that is not its API. */
    public static final int SERVER_ERROR = 1;
    /** The command line was wrong: unknown option, bad value, unreadable sweep file, invalid server URL. */
    public static final int USAGE = 2;
    /** No answer from the server: refused, timed out, unknown host. */
    public static final int UNREACHABLE = 3;
    /** Pulled data did not verify: a blob is missing or corrupt in the store, or the manifest is not the snapshot's. */
    public static final int DATA_ERROR = 4;

    /** {@code reprise compare}: the runs diverged (their metrics differ beyond the tolerance, or their outcome). */
    public static final int DIVERGED = 5;

    private ExitCodes() {
    }
}
