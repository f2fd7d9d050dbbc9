package dev.reprise.api.messages;

import java.util.Objects;

/**
 * One observed value of one metric.
 *
 * @param key             metric name, 1..256 characters, no control characters
 * @param step            training step the value belongs to (explicit, or the agent's per-key counter)
 * @param timestampMillis when the agent saw the value, epoch milliseconds
 * @param value           the value; NaN and infinities are legal and mean what they say
 * @param seq             the agent's sequence number within (run, attempt), starting at 0; together with run id,
 *                        attempt, key and step it is the point's identity, so redelivered points can be dropped
 */
public record MetricPoint(String key, long step, long timestampMillis, double value, long seq) {

    public static final int MAX_KEY_LENGTH = 256;

    public MetricPoint {
        Objects.requireNonNull(key, "key");
    }
}
