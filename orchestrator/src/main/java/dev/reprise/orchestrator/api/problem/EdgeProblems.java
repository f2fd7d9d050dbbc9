package dev.reprise.orchestrator.api.problem;

import dev.reprise.orchestrator.domain.error.ProblemType;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Problem documents written by the HTTP filters in front of the REST layer (body size, browser protections, odd
 * characters, sign-in limits), which answer before any resource or {@link ProblemMapper} is involved. Same shape
 * and types as every other problem answer.
 */
public final class EdgeProblems {

    private EdgeProblems() {
    }

    /** Ends the request with the problem; extra headers (e.g. Retry-After) are added. */
    public static void answer(RoutingContext rc, ProblemType type, String detail, Map<String, String> headers) {
        answer(rc, type, detail, null, headers);
    }

    /** As {@link #answer(RoutingContext, ProblemType, String, Map)}, with the field path that was refused. */
    public static void answer(RoutingContext rc, ProblemType type, String detail, String field,
            Map<String, String> headers) {
        StringBuilder body = new StringBuilder("{\"type\":\"").append(type.uri()).append("\",\"title\":\"")
                .append(type.title()).append("\",\"status\":").append(type.status()).append(",\"detail\":\"")
                .append(jsonEscape(detail)).append("\",\"instance\":\"").append(jsonEscape(rc.normalizedPath()))
                .append('"');
        if (field != null) {
            body.append(",\"errors\":[{\"field\":\"").append(jsonEscape(field)).append("\",\"message\":\"")
                    .append(jsonEscape(detail)).append("\"}]");
        }
        body.append('}');
        var response = rc.response().setStatusCode(type.status()).putHeader(HttpHeaders.CONTENT_TYPE,
                Problem.MEDIA_TYPE);
        headers.forEach(response::putHeader);
        response.end(body.toString());
    }

    /** JSON string content; control characters are written as escapes, never raw. */
    static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
