package dev.reprise.cli.client;

/** The server answered with success but not with JSON: most likely {@code --server} points at something else. */
public final class UnexpectedResponseException extends RuntimeException {

    public UnexpectedResponseException(String message) {
        super(message);
    }
}
