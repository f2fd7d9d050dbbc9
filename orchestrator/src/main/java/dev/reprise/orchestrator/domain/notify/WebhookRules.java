package dev.reprise.orchestrator.domain.notify;

import dev.reprise.orchestrator.domain.error.FieldError;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a webhook may be: an absolute http(s) URL with a host, no user info, not the orchestrator itself (a webhook
 * that calls Reprise's own API would loop or act with no caller); one or more known events; format json or slack.
 */
public final class WebhookRules {

    public static final int MAX_URL_LENGTH = 2048;
    public static final Set<String> FORMATS = Set.of("json", "slack");

    /** A checked webhook: the URL parsed, the events deduplicated in the order given. */
    public record Target(URI url, List<EventType> events, String format) {
    }

    private WebhookRules() {
    }

    /**
     * The errors of a requested webhook, each with its field ({@code url}, {@code events[i]}, {@code format});
     * empty when it is valid. {@code pointsAtSelf} says whether a parsed http(s) URL reaches this orchestrator.
     */
    public static List<FieldError> validate(String url, List<String> events, String format,
            Predicate<URI> pointsAtSelf) {
        List<FieldError> errors = new ArrayList<>();
        URI uri = parse(url, errors);
        if (uri != null && pointsAtSelf.test(uri)) {
            errors.add(new FieldError("url", "points at this Reprise orchestrator itself; give the receiver's address"));
        }
        if (events == null || events.isEmpty()) {
            errors.add(new FieldError("events", "name at least one event: " + EventType.names()));
        } else {
            for (int i = 0; i < events.size(); i++) {
                String e = events.get(i);
                if (e == null || EventType.fromWireName(e).isEmpty()) {
                    errors.add(new FieldError("events[" + i + "]", "unknown event '" + e + "'; known: "
                            + EventType.names()));
                }
            }
        }
        if (format != null && !FORMATS.contains(format)) {
            errors.add(new FieldError("format", "must be json or slack"));
        }
        return errors;
    }

    /** The target of a request {@link #validate} accepted. */
    public static Target target(String url, List<String> events, String format) {
        Set<EventType> types = new LinkedHashSet<>();
        events.forEach(e -> types.add(EventType.fromWireName(e).orElseThrow()));
        return new Target(URI.create(url.trim()), List.copyOf(types), format == null ? "json" : format);
    }

    private static URI parse(String url, List<FieldError> errors) {
        if (url == null || url.isBlank()) {
            errors.add(new FieldError("url", "is required"));
            return null;
        }
        if (url.length() > MAX_URL_LENGTH) {
            errors.add(new FieldError("url", "is longer than " + MAX_URL_LENGTH + " characters"));
            return null;
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            errors.add(new FieldError("url", "is not a URL: " + e.getReason()));
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            errors.add(new FieldError("url", "must be an http or https URL, not '" + (scheme.isEmpty() ? url : scheme
                    + ":") + "'"));
            return null;
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            errors.add(new FieldError("url", "has no host"));
            return null;
        }
        if (uri.getRawUserInfo() != null) {
            errors.add(new FieldError("url", "must not carry a user name or password; the signature authenticates"));
            return null;
        }
        return uri;
    }

    /** The port a parsed http(s) URL connects to. */
    public static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
