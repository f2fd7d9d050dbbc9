package dev.reprise.agent.metrics;

import dev.reprise.api.messages.MetricPoint;
import java.util.Optional;

/** Which metric names the agent accepts: 1 to 256 characters, none of them a control character. */
public final class MetricKeys {

    public static final String EMPTY = "empty key";
    public static final String TOO_LONG = "key longer than " + MetricPoint.MAX_KEY_LENGTH + " characters";
    public static final String CONTROL_CHARACTERS = "key contains control characters";

    private MetricKeys() {
    }

    /** Why {@code key} is rejected, or empty when it is accepted. */
    public static Optional<String> rejection(String key) {
        if (key.isEmpty()) {
            return Optional.of(EMPTY);
        }
        if (key.length() > MetricPoint.MAX_KEY_LENGTH) {
            return Optional.of(TOO_LONG);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return Optional.of(CONTROL_CHARACTERS);
            }
        }
        return Optional.empty();
    }

    /** {@code key} shortened to 64 characters with control characters escaped, fit for a warning. */
    public static String printable(String key) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < key.length() && sb.length() < 64; i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return key.length() > 64 ? sb + "…" : sb.toString();
    }
}
