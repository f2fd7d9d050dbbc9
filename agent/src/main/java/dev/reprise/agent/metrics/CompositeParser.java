package dev.reprise.agent.metrics;

import java.util.List;

/** Tries its parsers in order; the first that finds a metric in a line wins, so a line never counts twice. */
public final class CompositeParser implements LineParser {

    private final List<LineParser> parsers;

    public CompositeParser(List<LineParser> parsers) {
        this.parsers = List.copyOf(parsers);
    }

    @Override
    public ParsedLine parse(String line) {
        for (LineParser parser : parsers) {
            ParsedLine parsed;
            try {
                parsed = parser.parse(line);
            } catch (RuntimeException e) {
                continue;
            }
            if (!parsed.isEmpty()) {
                return parsed;
            }
        }
        return ParsedLine.NONE;
    }
}
