package dev.reprise.orchestrator.api.filters;

import dev.reprise.orchestrator.api.problem.EdgeProblems;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.domain.error.ProblemType;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.reprise.orchestrator.domain.security.UnsafeCharacters;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses odd characters at the edge, before any endpoint, with a 400 problem naming where they were: control
 * characters (NUL included) and bidirectional controls ({@link UnsafeCharacters}) in the URL path, in every query
 * parameter name and value ({@link #url}), and in every string and field name of a JSON body (there tab, CR and LF
 * are fine; {@link JsonBodies}).
 * Sweep documents in YAML are checked the same way by {@link SweepDocumentReader}. Nothing downstream (PostgreSQL
 * refuses NUL in text) ever sees them.
 */
@ApplicationScoped
public class UnsafeInputFilter {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    void register(@Observes Filters filters) {
        filters.register(this::url, 1900);
    }

    private void url(RoutingContext rc) {
        Optional<String[]> refused = urlProblem(rc);
        if (refused.isPresent()) {
            EdgeProblems.answer(rc, ProblemType.BAD_REQUEST, refused.get()[1], refused.get()[0], Map.of());
            return;
        }
        rc.next();
    }

    /** The refused part of the URL (field, message), or empty. */
    private static Optional<String[]> urlProblem(RoutingContext rc) {
        String path = percentDecoded(rc.request().path());
        Optional<String> problem = UnsafeCharacters.problem(path, false);
        if (problem.isPresent()) {
            return Optional.of(new String[] {"path", "the request path " + problem.get()});
        }
        String query = rc.request().query();
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = formDecoded(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : formDecoded(pair.substring(eq + 1));
            Optional<String> p = UnsafeCharacters.problem(name, false)
                    .or(() -> UnsafeCharacters.problem(value, false));
            if (p.isPresent()) {
                String shown = UnsafeCharacters.problem(name, false).isPresent() ? "a query parameter name"
                        : "query parameter '" + name + "'";
                return Optional.of(new String[] {"query." + printable(name), shown + " " + p.get()});
            }
        }
        return Optional.empty();
    }

    /**
     * JSON bodies: every field name and string value, checked as the body is about to be read into the endpoint's
     * parameter (a reader interceptor, so the body is already buffered: no worker thread waits for a slow client).
     */
    @jakarta.ws.rs.ext.Provider
    public static class JsonBodies implements jakarta.ws.rs.ext.ReaderInterceptor {
        @Override
        public Object aroundReadFrom(jakarta.ws.rs.ext.ReaderInterceptorContext context) throws IOException {
            MediaType type = context.getMediaType();
            if (type != null && type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                byte[] body;
                try (InputStream in = context.getInputStream()) {
                    body = in.readAllBytes();
                }
                jsonProblem(body).ifPresent(r -> {
                    throw new BadInputException(r[0], r[1]);
                });
                context.setInputStream(new ByteArrayInputStream(body));
            }
            return context.proceed();
        }
    }

    /** The first odd string of the JSON (field path, message), or empty; malformed JSON is left to the endpoint. */
    static Optional<String[]> jsonProblem(byte[] body) {
        return mayHoldUnsafeCharacters(body) ? parsedProblem(body) : Optional.empty();
    }

    /** {@link #jsonProblem} by parsing every string of the body. */
    static Optional<String[]> parsedProblem(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING) {
                    Optional<String> p = UnsafeCharacters.problem(parser.getText(), token == JsonToken.VALUE_STRING);
                    if (p.isPresent()) {
                        String field = fieldPath(parser);
                        return Optional.of(new String[] {field.isEmpty() ? "body" : field,
                                (token == JsonToken.FIELD_NAME ? "a field name " : "the value ") + p.get()});
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Whether any string of the JSON body could decode to a control or bidirectional character: false only when the
     * bytes hold no escape ({@code \}), no byte below 0x20 other than tab, CR and LF, no DEL, no UTF-8 sequence of
     * U+0080–U+009F ({@code C2 80}–{@code C2 9F}) or of U+2000–U+207F ({@code E2 80}, {@code E2 81}: the bidi
     * controls are there) and nothing that could be an overlong form of one ({@code C0}, {@code C1},
     * {@code E0 80}–{@code E0 9F}, {@code F0 80}–{@code F0 8F}). A body that passes cannot hold what the full check
     * ({@link #jsonProblem}) looks for (tab, CR and LF can appear raw only between tokens: JSON refuses them
     * unescaped inside strings), so most bodies are checked with one pass over their bytes instead of a parse; the
     * others are parsed as before.
     */
    static boolean mayHoldUnsafeCharacters(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            int b = body[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                continue;
            }
            if (b == '\t' || b == '\n' || b == '\r') {
                continue;
            }
            if (b < 0x80) {
                return true; // other C0 controls, DEL, the escape character
            }
            int next = i + 1 < body.length ? body[i + 1] & 0xff : 0;
            if (b == 0xc0 || b == 0xc1 || (b == 0xc2 && next < 0xa0) || (b == 0xe0 && next < 0xa0)
                    || (b == 0xf0 && next < 0x90)
                    || (b == 0xe2 && (next == 0x80 || next == 0x81))) {
                return true;
            }
        }
        return false;
    }

    /** a.b[2].c from the parser's position. */
    private static String fieldPath(JsonParser parser) {
        String pointer = parser.getParsingContext().pathAsPointer().toString();
        StringBuilder sb = new StringBuilder();
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            String s = printable(segment.replace("~1", "/").replace("~0", "~"));
            if (s.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(s).append(']');
            } else {
                sb.append(sb.length() == 0 ? "" : ".").append(s);
            }
        }
        return sb.toString();
    }

    /** Control and bidirectional characters written as \\uXXXX, so the answer never carries them. */
    public static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(200).forEach(c -> {
            if (UnsafeCharacters.isControl(c) || UnsafeCharacters.isBidiControl(c)) {
                sb.append(String.format("\\u%04X", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }

    private static String formDecoded(String s) {
        return percentDecoded(s.replace('+', ' '));
    }

    /** %XX decoded as UTF-8; malformed escapes are kept as they are (the router refuses or ignores them). */
    static String percentDecoded(String s) {
        if (s == null || s.indexOf('%') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else {
                int cp = s.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp) - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
