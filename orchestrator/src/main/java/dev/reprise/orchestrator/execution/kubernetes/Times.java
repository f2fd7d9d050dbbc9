package dev.reprise.orchestrator.execution.kubernetes;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Kubernetes timestamps (RFC 3339) to instants; null for missing or unparseable ones. */
final class Times {

    private Times() {
    }

    static Instant parse(String rfc3339) {
        if (rfc3339 == null || rfc3339.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(rfc3339).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static Instant parseOr(String rfc3339, Instant fallback) {
        Instant t = parse(rfc3339);
        return t == null ? fallback : t;
    }
}
