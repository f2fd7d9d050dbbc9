package dev.reprise.cli.data;

import dev.reprise.cli.ExitCodes;

/** Moving bytes to or from the object store failed; {@link #exitCode()} says whether it was reachable at all. */
public final class DataTransferException extends RuntimeException {

    private final int exitCode;

    public DataTransferException(String message, boolean unreachable, Throwable cause) {
        super(message, cause);
        this.exitCode = unreachable ? ExitCodes.UNREACHABLE : ExitCodes.SERVER_ERROR;
    }

    public int exitCode() {
        return exitCode;
    }
}
