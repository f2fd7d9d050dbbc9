package dev.reprise.orchestrator.messaging;

import dev.reprise.api.messages.MetricPoint;
import dev.reprise.orchestrator.domain.security.UnsafeCharacters;
import java.util.Optional;

/**
 * What the ingest accepts from an agent. The agent applies the same key rules before sending; the orchestrator
 * checks again because it trusts no producer. Refused points are counted per reason, never stored.
 *
 * <ul>
 *   <li>keys: 1 to {@value MetricPoint#MAX_KEY_LENGTH} characters, no control characters (nor U+2028/U+2029), no
 *       bidirectional controls (U+202A–U+202E, U+2066–U+2069, {@link UnsafeCharacters}), and
 *       not under the reserved prefix {@value #SYSTEM_PREFIX}, which holds the telemetry from heartbeats;</li>
 *   <li>step and seq: not negative;</li>
 *   <li>timestamps: from 1970 to the end of 9999 (PostgreSQL could hold more; nothing real needs it);</li>
 *   <li>values: any double, NaN and infinities included (stored as such).</li>
 * </ul>
 */
public final class PointRules {

    /** Keys under this prefix are the orchestrator's own system metrics (CPU, memory, GPU from heartbeats). */
    public static final String SYSTEM_PREFIX = "sys/";

    public static final String EMPTY_KEY = "empty key";
    public static final String KEY_TOO_LONG = "key longer than " + MetricPoint.MAX_KEY_LENGTH + " characters";
    public static final String CONTROL_CHARACTERS = "key contains control characters";
    public static final String BIDI_CHARACTERS = "key contains bidirectional control characters";
    public static final String RESERVED_PREFIX = "key uses the reserved prefix " + SYSTEM_PREFIX;
    public static final String NEGATIVE_STEP = "negative step";
    public static final String NEGATIVE_SEQ = "negative seq";
    public static final String TIMESTAMP_OUT_OF_RANGE = "timestamp out of range";

    /** 9999-12-31T23:59:59.999Z. */
    static final long MAX_TIMESTAMP_MILLIS = 253_402_300_799_999L;

    private PointRules() {
    }

    /** Why the agent's point is refused, or empty when it is accepted. */
    public static Optional<String> rejection(MetricPoint p) {
        Optional<String> key = keyRejection(p.key());
        if (key.isPresent()) {
            return key;
        }
        if (p.key().startsWith(SYSTEM_PREFIX)) {
            return Optional.of(RESERVED_PREFIX);
        }
        if (p.step() < 0) {
            return Optional.of(NEGATIVE_STEP);
        }
        if (p.seq() < 0) {
            return Optional.of(NEGATIVE_SEQ);
        }
        if (!validTimestamp(p.timestampMillis())) {
            return Optional.of(TIMESTAMP_OUT_OF_RANGE);
        }
        return Optional.empty();
    }

    /** The key rules alone (length and characters), shared with query parameters. */
    public static Optional<String> keyRejection(String key) {
        if (key.isEmpty()) {
            return Optional.of(EMPTY_KEY);
        }
        if (key.length() > MetricPoint.MAX_KEY_LENGTH) {
            return Optional.of(KEY_TOO_LONG);
        }
        for (int i = 0; i < key.length(); i++) {
            if (isControl(key.charAt(i))) {
                return Optional.of(CONTROL_CHARACTERS);
            }
            if (UnsafeCharacters.isBidiControl(key.charAt(i))) {
                return Optional.of(BIDI_CHARACTERS);
            }
        }
        return Optional.empty();
    }

    public static boolean validTimestamp(long epochMillis) {
        return epochMillis >= 0 && epochMillis <= MAX_TIMESTAMP_MILLIS;
    }

    /** The key shortened to 64 characters with control characters escaped, fit for a warning. */
    public static String printable(String key) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < key.length() && sb.length() < 64; i++) {
            char c = key.charAt(i);
            if (isControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return key.length() > 64 ? sb + "…" : sb.toString();
    }

    private static boolean isControl(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
