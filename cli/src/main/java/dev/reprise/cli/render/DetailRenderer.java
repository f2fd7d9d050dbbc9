package dev.reprise.cli.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code Label: value} view of one object, values aligned. A section prints its title on its own line and its
 * entries indented below it, aligned among themselves.
 */
public final class DetailRenderer {
    private static final String INDENT = "  ";

    private final List<Entry> entries = new ArrayList<>();

    public DetailRenderer field(String label, String value) {
        entries.add(new Field(label, value));
        return this;
    }

    /** A titled group such as {@code Parameters:}; an empty group prints as {@code Title: -}. */
    public DetailRenderer section(String title, Map<String, String> fields) {
        if (fields.isEmpty()) {
            return field(title, Cells.NONE);
        }
        entries.add(new Section(title, new LinkedHashMap<>(fields)));
        return this;
    }

    /** The view as lines joined by {@code \n}, without a final line break. */
    public String render() {
        int labelWidth = entries.stream().filter(Field.class::isInstance)
                .mapToInt(e -> ((Field) e).label().length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry instanceof Field field) {
                lines.add(line("", field.label(), labelWidth, field.value()));
            } else if (entry instanceof Section section) {
                lines.add(section.title() + ":");
                int width = section.fields().keySet().stream().mapToInt(String::length).max().orElse(0);
                section.fields().forEach((label, value) -> lines.add(line(INDENT, label, width, value)));
            }
        }
        return String.join("\n", lines);
    }

    private static String line(String indent, String label, int labelWidth, String value) {
        String prefix = indent + label + ":" + " ".repeat(labelWidth - label.length() + 1);
        String text = value == null || value.isEmpty() ? Cells.NONE : value;
        String continuation = "\n" + " ".repeat(prefix.length());
        return (prefix + String.join(continuation, text.lines().toList())).stripTrailing();
    }

    private sealed interface Entry permits Field, Section {
    }

    private record Field(String label, String value) implements Entry {
    }

    private record Section(String title, Map<String, String> fields) implements Entry {
    }
}
