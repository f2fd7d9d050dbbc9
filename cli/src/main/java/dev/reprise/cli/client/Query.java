package dev.reprise.cli.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Query parameters in the order added; parameters whose value is {@code null} are left out. */
public final class Query {
    private final Map<String, String> parameters = new LinkedHashMap<>();

    private Query() {
    }

    public static Query empty() {
        return new Query();
    }

    public static Query of(String name, Object value) {
        return new Query().and(name, value);
    }

    public Query and(String name, Object value) {
        if (value != null) {
            parameters.put(name, value.toString());
        }
        return this;
    }

    /** {@code ?a=1&b=x%20y}, or the empty string when there are no parameters. */
    String toQueryString() {
        if (parameters.isEmpty()) {
            return "";
        }
        return parameters.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&", "?", ""));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
