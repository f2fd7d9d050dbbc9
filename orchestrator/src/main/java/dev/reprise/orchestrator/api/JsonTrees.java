package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.persistence.CanonicalJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stored JSON text back to plain trees for responses. */
final class JsonTrees {

    private JsonTrees() {
    }

    static Object parse(String json) {
        return json == null ? null : CanonicalJson.read(json, Object.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String json) {
        return json == null ? Map.of() : CanonicalJson.read(json, LinkedHashMap.class);
    }

    /** The parameter names of a normalised spec, in declaration order. */
    @SuppressWarnings("unchecked")
    static List<String> parameterOrder(String specJson) {
        Map<String, Object> spec = parseObject(specJson);
        Object params = spec.get("parameters");
        return params instanceof Map<?, ?> m ? new ArrayList<>((java.util.Set<String>) m.keySet()) : List.of();
    }
}
