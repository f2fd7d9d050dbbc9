package dev.reprise.agent.metrics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user's regular expression ({@code --metric-regex}), applied with {@code find()} as often as it matches:
 * <ul>
 *   <li>named groups {@code key} and {@code value}: one metric per match;</li>
 *   <li>other named groups: one metric per group, named after the group ({@code (?<loss>\S+)});</li>
 *   <li>no named groups: group 1 is the key and group 2 the value (Katib's convention).</li>
 * </ul>
 * A named group {@code step} gives the line's step. Values that are not numbers are skipped. Java group names are
 * letters and digits only.
 */
public final class RegexParser implements LineParser {

    private static final Pattern GROUP_NAME = Pattern.compile("(?<!\\\\)\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    private final Pattern pattern;
    private final Set<String> groupNames;

    public RegexParser(Pattern pattern) {
        this.pattern = pattern;
        this.groupNames = namedGroups(pattern.pattern());
    }

    /** Compiles {@code regex}; returns an error message when it cannot be used. */
    public static java.util.Optional<String> validate(String regex) {
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (java.util.regex.PatternSyntaxException e) {
            return java.util.Optional.of("invalid --metric-regex: " + e.getDescription());
        }
        Set<String> names = namedGroups(regex);
        names.remove("step");
        boolean keyValue = names.contains("key") && names.contains("value");
        if (!keyValue && names.isEmpty() && p.matcher("").groupCount() < 2) {
            return java.util.Optional.of("--metric-regex needs groups key and value, named metric groups,"
                    + " or two unnamed groups (key, value): " + regex);
        }
        return java.util.Optional.empty();
    }

    @Override
    public ParsedLine parse(String line) {
        List<ParsedMetric> found = new ArrayList<>();
        Long step = null;
        Matcher m = pattern.matcher(line);
        while (m.find()) {
            if (groupNames.contains("step") && m.group("step") != null) {
                OptionalDouble s = Numbers.parse(m.group("step"));
                if (s.isPresent() && Numbers.asStep(s.getAsDouble()) != null) {
                    step = Numbers.asStep(s.getAsDouble());
                }
            }
            collect(m, found);
        }
        return found.isEmpty() ? ParsedLine.NONE : new ParsedLine(step, found);
    }

    private void collect(Matcher m, List<ParsedMetric> found) {
        if (groupNames.contains("key") && groupNames.contains("value")) {
            add(found, m.group("key"), m.group("value"));
        } else if (!groupNames.isEmpty()) {
            for (String name : groupNames) {
                if (!name.equals("step")) {
                    add(found, name, m.group(name));
                }
            }
        } else if (m.groupCount() >= 2) {
            add(found, m.group(1), m.group(2));
        }
    }

    private static void add(List<ParsedMetric> found, String key, String value) {
        if (key != null && value != null) {
            Numbers.parse(value).ifPresent(v -> found.add(new ParsedMetric(key.strip(), v)));
        }
    }

    private static Set<String> namedGroups(String regex) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = GROUP_NAME.matcher(regex);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
