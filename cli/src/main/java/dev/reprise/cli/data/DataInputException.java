package dev.reprise.cli.data;

/** The local side of a data command is wrong: a directory that cannot be pushed as it is, or a pull target in use. */
public final class DataInputException extends RuntimeException {

    public DataInputException(String message) {
        super(message);
    }
}
