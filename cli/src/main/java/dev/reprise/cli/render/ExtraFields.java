package dev.reprise.cli.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Fields the server sent that this CLI does not know yet, so detail views still show them: a value on one line under
 * its JSON name, an object as a section of its members. Null values are left out.
 */
final class ExtraFields {

    private ExtraFields() {
    }

    /** The JSON names a view already shows: the record's components, plus those it shows or hides on purpose. */
    static Set<String> handledBy(Class<? extends Record> record, Set<String> others) {
        return Stream.concat(Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName), others.stream())
                .collect(Collectors.toUnmodifiableSet());
    }

    static void addTo(DetailRenderer view, JsonNode raw, Set<String> handled) {
        for (Map.Entry<String, JsonNode> field : raw.properties()) {
            JsonNode value = field.getValue();
            if (handled.contains(field.getKey()) || value.isNull()) {
                continue;
            }
            if (value.isObject()) {
                view.section(field.getKey(), members(value));
            } else {
                view.field(field.getKey(), Cells.json(value));
            }
        }
    }

    /** The non-null members of an object, as cells; empty for anything else. */
    static Map<String, String> members(JsonNode object) {
        Map<String, String> members = new LinkedHashMap<>();
        object.properties().stream()
                .filter(m -> !m.getValue().isNull())
                .forEach(m -> members.put(m.getKey(), Cells.json(m.getValue())));
        return members;
    }
}
