package dev.reprise.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Reads an error answer as a {@link Problem}; answers that are not problem details get one made from the status. */
final class Problems {
    private static final int MAX_TEXT_DETAIL = 200;
    private static final Map<Integer, String> TITLES = Map.ofEntries(
            Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(409, "Conflict"),
            Map.entry(413, "Content Too Large"),
            Map.entry(415, "Unsupported Media Type"),
            Map.entry(422, "Unprocessable Content"),
            Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    private Problems() {
    }

    static Problem fromResponse(int status, String contentType, byte[] body) {
        Problem parsed = parseProblem(body);
        if (parsed != null) {
            String title = parsed.title() == null ? standardTitle(status) : parsed.title();
            Integer problemStatus = parsed.status() == null ? Integer.valueOf(status) : parsed.status();
            return new Problem(parsed.type(), title, problemStatus, parsed.detail(), parsed.instance(), parsed.errors());
        }
        String detail = contentType.startsWith("text/plain") ? firstLine(body) : null;
        return new Problem(null, standardTitle(status), status, detail, null, List.of());
    }

    static String standardTitle(int status) {
        return TITLES.getOrDefault(status, "HTTP error");
    }

    private static Problem parseProblem(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode node = Json.parse(body);
            if (node.isObject() && (node.has("title") || node.has("detail") || node.has("status"))) {
                return Json.convert(node, Problem.class);
            }
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String firstLine(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return null;
        }
        String line = text.lines().findFirst().orElse(text);
        return line.length() > MAX_TEXT_DETAIL ? line.substring(0, MAX_TEXT_DETAIL) + "…" : line;
    }
}
