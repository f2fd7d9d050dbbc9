package dev.reprise.orchestrator.messaging;

import dev.reprise.api.messages.MetricKeys;
import dev.reprise.api.messages.MetricPoint;
import java.util.Optional;

/**
 * What the ingest accepts from an agent. Keys follow the contract's {@link MetricKeys} (the agent applies the same
 * rule before sending; the orchestrator checks again because it trusts no producer); the rest is the ingest's own.
 * Refused points are counted per reason, never stored.
 *
 * <ul>
 *   <li>keys: {@link MetricKeys#rejection}, and not under the reserved prefix {@value MetricKeys#SYSTEM_PREFIX},
 *       which holds the telemetry from heartbeats;</li>
 *   <li>step and seq: not negative;</li>
 *   <li>timestamps: from 1970 to the end of 9999 (PostgreSQL could hold more; nothing real needs it);</li>
 *   <li>values: any double, NaN and infinities included (stored as such).</li>
 * </ul>
 */
public final class PointRules {

    public static final String RESERVED_PREFIX = "key uses the reserved prefix " + MetricKeys.SYSTEM_PREFIX;
    public static final String NEGATIVE_STEP = "negative step";
    public static final String NEGATIVE_SEQ = "negative seq";
    public static final String TIMESTAMP_OUT_OF_RANGE = "timestamp out of range";

    /** 9999-12-31T23:59:59.999Z. */
    static final long MAX_TIMESTAMP_MILLIS = 253_402_300_799_999L;

    private PointRules() {
    }

    /** Why the agent's point is refused, or empty when it is accepted. */
    public static Optional<String> rejection(MetricPoint p) {
        Optional<String> key = MetricKeys.rejection(p.key());
        if (key.isPresent()) {
            return key;
        }
        if (p.key().startsWith(MetricKeys.SYSTEM_PREFIX)) {
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

    public static boolean validTimestamp(long epochMillis) {
        return epochMillis >= 0 && epochMillis <= MAX_TIMESTAMP_MILLIS;
    }
}
