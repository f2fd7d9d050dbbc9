package dev.reprise.cli.command;

/** The sweep file given to {@code submit} cannot be sent: missing, unreadable, a directory or empty. */
public final class SweepFileException extends RuntimeException {

    public SweepFileException(String message) {
        super(message);
    }
}
