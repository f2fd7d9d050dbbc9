package dev.reprise.agent.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code key=value} pairs anywhere in a line (Katib's default format: {@code epoch=3 loss=0.25 accuracy=0.91}), or,
 * in {@link #colon() colon mode}, {@code key: value} pairs (Keras: {@code loss: 0.2950 - accuracy: 0.9160}).
 *
 * <p>A key starts with a letter or underscore and continues with letters, digits, {@code _ . - /}; it must not be
 * glued to a preceding word character or one of {@code . - / & ? = :}. The value must be a whole number token (see {@link Numbers}) followed by the
 * end of the line, white space or one of {@code , ; ) ] } |}. {@code lr=1e-4} counts; {@code acc=91%},
 * {@code name=resnet} and {@code t=3s} do not.
 */
public final class KeyValueParser implements LineParser {

    private static final String KEY = "(?<![\\w.\\-/&?=:])([A-Za-z_][\\w.\\-/]*)";
    private static final String VALUE = "(" + Numbers.NUMBER_REGEX + ")(?=$|[\\s,;)\\]}|])";

    private final Pattern pattern;
    private final char separator;

    private KeyValueParser(Pattern pattern, char separator) {
        this.pattern = pattern;
        this.separator = separator;
    }

    /** {@code key=value}, spaces allowed around {@code =}. */
    public static KeyValueParser equalsSign() {
        return new KeyValueParser(Pattern.compile(KEY + "\\s*=\\s*" + VALUE), '=');
    }

    /** {@code key: value}: a colon right after the key, then white space. */
    public static KeyValueParser colon() {
        return new KeyValueParser(Pattern.compile(KEY + ":\\s+" + VALUE), ':');
    }

    @Override
    public ParsedLine parse(String line) {
        if (line.indexOf(separator) < 0) {
            return ParsedLine.NONE;
        }
        List<ParsedMetric> found = new ArrayList<>();
        Matcher m = pattern.matcher(line);
        while (m.find()) {
            Numbers.parse(m.group(2)).ifPresent(v -> found.add(new ParsedMetric(m.group(1), v)));
        }
        return StepKeys.split(found);
    }
}
