package dev.reprise.cli.client;

import java.net.URI;

/** No HTTP answer came back: the connection was refused, timed out, or failed. */
public final class ServerUnreachableException extends RuntimeException {
    private final URI server;
    private final String reason;

    public ServerUnreachableException(URI server, String reason, Throwable cause) {
        super("Cannot reach the Reprise server at " + server + ": " + reason, cause);
        this.server = server;
        this.reason = reason;
    }

    public URI server() {
        return server;
    }

    public String reason() {
        return reason;
    }
}
