package dev.reprise.cli.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.cli.client.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** How single values print in tables and detail views. */
public final class Cells {
    /** What a missing value prints as. */
    public static final String NONE = "-";

    private Cells() {
    }

    public static String text(Object value) {
        return value == null ? NONE : value.toString();
    }

    /** Strings without quotes, numbers exactly as sent, objects and arrays as one-line JSON. */
    public static String json(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NONE;
        }
        return node.isValueNode() ? node.asText() : Json.compact(node);
    }

    /** An ISO-8601 timestamp in UTC to the second, e.g. {@code 2026-11-26T18:00:00Z}; other text is kept. */
    public static String timestamp(String iso) {
        if (iso == null) {
            return NONE;
        }
        return instant(iso).map(i -> i.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(iso);
    }

    /** The time between two timestamps, e.g. {@code 1h02m03s}; {@code -} unless both are known. */
    public static String duration(String startIso, String endIso) {
        if (startIso == null || endIso == null) {
            return NONE;
        }
        Optional<Instant> start = instant(startIso);
        Optional<Instant> end = instant(endIso);
        if (start.isEmpty() || end.isEmpty() || end.get().isBefore(start.get())) {
            return NONE;
        }
        long seconds = Duration.between(start.get(), end.get()).toSeconds();
        if (seconds >= 3600) {
            return String.format("%dh%02dm%02ds", seconds / 3600, seconds % 3600 / 60, seconds % 60);
        }
        if (seconds >= 60) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        return seconds + "s";
    }

    private static Optional<Instant> instant(String iso) {
        try {
            return Optional.of(OffsetDateTime.parse(iso).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
