package dev.reprise.cli.command;

/** What commands print: readable text, or the server's JSON pretty-printed. */
public enum OutputFormat {
    TABLE,
    JSON
}
