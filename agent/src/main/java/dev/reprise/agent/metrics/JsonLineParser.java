package dev.reprise.agent.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON lines: a line that is one JSON object ({@code {"step": 10, "loss": 0.31}}). Every top-level number is a metric
 * (see {@link StepKeys} for the step); strings, booleans, nulls, arrays and nested objects are ignored. Python's
 * {@code json.dumps} spellings {@code NaN}, {@code Infinity} and {@code -Infinity} are accepted. Anything that is not
 * a complete JSON object yields no metrics.
 */
public final class JsonLineParser implements LineParser {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
            .build();

    @Override
    public ParsedLine parse(String line) {
        String s = line.strip();
        if (s.length() < 2 || s.charAt(0) != '{' || s.charAt(s.length() - 1) != '}') {
            return ParsedLine.NONE;
        }
        try (JsonParser p = FACTORY.createParser(s)) {
            List<ParsedMetric> found = readTopLevelNumbers(p);
            return found == null ? ParsedLine.NONE : StepKeys.split(found);
        } catch (IOException | RuntimeException e) {
            return ParsedLine.NONE;
        }
    }

    /** The object's numeric fields, or null when the text is not exactly one object. */
    private static List<ParsedMetric> readTopLevelNumbers(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        List<ParsedMetric> found = new ArrayList<>();
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
                found.add(new ParsedMetric(name, p.getDoubleValue()));
            } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                p.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
            return null;
        }
        return found;
    }
}
