package dev.reprise.agent.metrics;

/** Finds metric values in one line of text. Implementations are pure, thread-safe and never throw on bad input. */
public interface LineParser {

    /** The metrics in {@code line}, or {@link ParsedLine#NONE}. */
    ParsedLine parse(String line);
}
