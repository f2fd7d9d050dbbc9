package dev.reprise.agent.params;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds logged parameters in a line: a line that is one JSON object with a {@code "params"} field whose value is an
 * object ({@code {"params": {"lr": "0.001", "layers": 4}}}, what {@code reprise.log_params} writes). Strings are
 * taken as they are, numbers and booleans as their JSON text; any other value (null, array, object) maps to null,
 * which {@link dev.reprise.api.messages.ParamRules} refuses. Other fields of the line are left to the metric parsers.
 */
public final class ParamsLineParser {

    static final String FIELD = "params";

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
            .build();

    /** The line's parameters in their order, or empty when the line carries none. */
    public Optional<Map<String, String>> parse(String line) {
        // most lines are not parameter lines: skip the JSON parser for them
        if (line.indexOf("\"" + FIELD + "\"") < 0) {
            return Optional.empty();
        }
        String s = line.strip();
        if (s.length() < 2 || s.charAt(0) != '{' || s.charAt(s.length() - 1) != '}') {
            return Optional.empty();
        }
        try (JsonParser p = FACTORY.createParser(s)) {
            return Optional.ofNullable(read(p));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        Map<String, String> found = null;
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (FIELD.equals(name) && value == JsonToken.START_OBJECT && found == null) {
                found = readParams(p);
            } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                p.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
            return null;
        }
        return found == null || found.isEmpty() ? null : found;
    }

    private static Map<String, String> readParams(JsonParser p) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            String text = switch (value) {
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
                default -> {
                    p.skipChildren();
                    yield null;
                }
            };
            out.put(key, text);
        }
        return out;
    }
}
