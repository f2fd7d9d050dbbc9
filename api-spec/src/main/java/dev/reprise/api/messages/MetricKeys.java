package dev.reprise.api.messages;

import java.util.Optional;

/**
 * The one rule for metric keys, applied by the agent before it sends a point and by the orchestrator's ingest and
 * query API again (it trusts no producer): 1 to {@value MetricPoint#MAX_KEY_LENGTH} characters, no control
 * characters (nor U+2028/U+2029) and no bidirectional controls (U+202A–U+202E, U+2066–U+2069), which make a key
 * display as something it is not. Keys under {@value #SYSTEM_PREFIX} are the orchestrator's own telemetry; the
 * ingest refuses them from agents. Pure.
 */
public final class MetricKeys {

    /** Keys under this prefix are the orchestrator's own system metrics (CPU, memory, GPU from heartbeats). */
    public static final String SYSTEM_PREFIX = "sys/";

    public static final String EMPTY = "empty key";
    public static final String TOO_LONG = "key longer than " + MetricPoint.MAX_KEY_LENGTH + " characters";
    public static final String CONTROL_CHARACTERS = "key contains control characters";
    public static final String BIDI_CHARACTERS = "key contains bidirectional control characters";

    private static final int PRINTABLE_LENGTH = 64;

    private MetricKeys() {
    }

    /** Why {@code key} is refused (one of this class's reasons), or empty when it is accepted. */
    public static Optional<String> rejection(String key) {
        if (key.isEmpty()) {
            return Optional.of(EMPTY);
        }
        if (key.length() > MetricPoint.MAX_KEY_LENGTH) {
            return Optional.of(TOO_LONG);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (isControl(c)) {
                return Optional.of(CONTROL_CHARACTERS);
            }
            if ((c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')) {
                return Optional.of(BIDI_CHARACTERS);
            }
        }
        return Optional.empty();
    }

    /** {@code key} shortened to 64 characters with control characters escaped, fit for a warning. */
    public static String printable(String key) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < key.length() && sb.length() < PRINTABLE_LENGTH; i++) {
            char c = key.charAt(i);
            if (isControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return key.length() > PRINTABLE_LENGTH ? sb + "…" : sb.toString();
    }

    private static boolean isControl(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
