package dev.reprise.api.messages;

/** Which output stream of the training process a {@link RunEvent.LogChunk} comes from. */
public enum LogStream {
    STDOUT,
    STDERR
}
