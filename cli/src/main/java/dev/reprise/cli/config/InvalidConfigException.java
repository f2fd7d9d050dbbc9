package dev.reprise.cli.config;

/** The server URL or the config file cannot be used; the message says which and why. */
public final class InvalidConfigException extends RuntimeException {

    public InvalidConfigException(String message) {
        super(message);
    }
}
