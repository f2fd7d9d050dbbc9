package dev.reprise.agent.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Builds the parser for the training process's output from {@code --metric-format} and {@code --metric-regex}. */
public final class MetricFormats {

    /** {@code json}: JSON lines; {@code kv}: key=value; {@code colon}: key: value; {@code none}: output is not parsed. */
    public static final Set<String> NAMES = Set.of("json", "kv", "colon", "none");
    public static final List<String> DEFAULT = List.of("json", "kv");

    private MetricFormats() {
    }

    /** JSON lines first, then each user regex, then key=value, then key: value; the first that finds metrics wins. */
    public static LineParser outputParser(List<String> formats, List<Pattern> regexes) {
        List<LineParser> parsers = new ArrayList<>();
        if (formats.contains("json")) {
            parsers.add(new JsonLineParser());
        }
        regexes.forEach(r -> parsers.add(new RegexParser(r)));
        if (formats.contains("kv")) {
            parsers.add(KeyValueParser.equalsSign());
        }
        if (formats.contains("colon")) {
            parsers.add(KeyValueParser.colon());
        }
        return new CompositeParser(parsers);
    }
}
