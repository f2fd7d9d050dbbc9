package dev.reprise.cli;

import com.sun.net.httpserver.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A request as the {@link ScriptedServer} received it. */
public record RecordedRequest(String method, String path, String rawQuery, Headers headers, byte[] body) {

    /** The decoded query parameters in the order sent; empty without a query. */
    public Map<String, String> query() {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            Arrays.stream(rawQuery.split("&")).map(p -> p.split("=", 2)).forEach(p -> query.put(
                    URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                    p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : ""));
        }
        return query;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.getFirst(name));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
