package dev.reprise.orchestrator.domain.error;

/** The problem types the API can answer with; each has a stable type URI documented in docs/api.md. */
public enum ProblemType {
    MALFORMED_DOCUMENT(400, "Malformed document"),
    BAD_REQUEST(400, "Bad request"),
    UNAUTHORIZED(401, "Unauthorized"),
    FORBIDDEN(403, "Forbidden"),
    NOT_FOUND(404, "Not found"),
    REQUEST_TIMEOUT(408, "Request timeout"),
    CONFLICT(409, "Conflict"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    INVALID_SWEEP(422, "Invalid sweep"),
    INVALID_SNAPSHOT(422, "Invalid snapshot"),
    INVALID_REQUEST(422, "Invalid request"),
    TOO_MANY_REQUESTS(429, "Too many requests"),
    INTERNAL(500, "Internal error"),
    SERVICE_UNAVAILABLE(503, "Service unavailable");

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String uri() {
        return "https://reprise.dev/problems/" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
