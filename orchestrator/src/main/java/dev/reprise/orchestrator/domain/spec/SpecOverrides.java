package dev.reprise.orchestrator.domain.spec;

import dev.reprise.orchestrator.domain.error.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Changes to a sweep document by dotted path, as {@code reprise clone SWEEP --set lr.max=0.1} asks for them. A path
 * walks the document's objects; a first segment that is not a top-level field but names a parameter is taken under
 * {@code parameters} ({@code lr.max} = {@code parameters.lr.max}). Keys may contain dots themselves (parameter names
 * may): at each level the longest key the path starts with is taken. Every object on the way must exist; the last
 * segment may be new. The result is validated by the spec parser like any submission, so a value the spec does not
 * allow is reported at its own field path.
 */
public final class SpecOverrides {

    /** One change: {@code path} set to {@code value} (any JSON value; null removes the field). */
    public record Override(String path, Object value) {
    }

    /** The changed document, or the errors (field {@code set[i].path}). */
    public sealed interface Result permits Applied, Refused {
    }

    public record Applied(Map<String, Object> document) implements Result {
    }

    public record Refused(List<FieldError> errors) implements Result {
    }

    private SpecOverrides() {
    }

    public static Result apply(Map<String, Object> document, List<Override> overrides) {
        Map<String, Object> doc = deepCopy(document);
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < overrides.size(); i++) {
            String field = "set[" + i + "].path";
            Override o = overrides.get(i);
            String path = o.path() == null ? "" : o.path().strip();
            if (path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
                errors.add(new FieldError(field, "must be a dotted path such as parameters.lr.max or lr.max"));
                continue;
            }
            if (!doc.containsKey(firstKey(doc, path)) && doc.get("parameters") instanceof Map<?, ?> params
                    && firstKey(cast(params), path) != null) {
                path = "parameters." + path;
            }
            String error = set(doc, path, o.value());
            if (error != null) {
                errors.add(new FieldError(field, error));
            }
        }
        return errors.isEmpty() ? new Applied(doc) : new Refused(errors);
    }

    /** Sets the value at path; returns why not, or null. */
    private static String set(Map<String, Object> doc, String path, Object value) {
        Map<String, Object> node = doc;
        String rest = path;
        StringBuilder walked = new StringBuilder();
        while (true) {
            String key = firstKey(node, rest);
            if (key == null || key.length() == rest.length()) {
                String leaf = key == null ? rest : key;
                if (key == null && leaf.contains(".")) {
                    String missing = leaf.substring(0, leaf.indexOf('.'));
                    return "no field '" + walked + missing + "' in the sweep";
                }
                if (value == null) {
                    node.remove(leaf);
                } else {
                    node.put(leaf, value);
                }
                return null;
            }
            Object child = node.get(key);
            walked.append(key).append('.');
            if (!(child instanceof Map<?, ?> m)) {
                return "'" + walked.substring(0, walked.length() - 1) + "' is not an object, so it has no field '"
                        + rest.substring(key.length() + 1) + "'";
            }
            node = cast(m);
            rest = rest.substring(key.length() + 1);
        }
    }

    /** The longest key of {@code node} that {@code path} equals or starts with followed by a dot; null if none. */
    private static String firstKey(Map<String, Object> node, String path) {
        String best = null;
        for (String k : node.keySet()) {
            if ((path.equals(k) || path.startsWith(k + ".")) && (best == null || k.length() > best.length())) {
                best = k;
            }
        }
        return best;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> child ? deepCopy((Map<String, Object>) child)
                : v instanceof List<?> list ? new ArrayList<>(list) : v));
        return out;
    }
}
