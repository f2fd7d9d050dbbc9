package dev.reprise.orchestrator.domain.notify;

import java.time.Duration;

/**
 * When a failed delivery is tried again: {@code first × 2^(attempts-1)}, at most {@code max}, and no more tries once
 * {@code maxAttempts} were made.
 */
public record DeliveryBackoff(Duration first, Duration max, int maxAttempts) {

    public DeliveryBackoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("backoff needs 0 < first <= max and maxAttempts >= 1");
        }
    }

    /** Whether another attempt follows after {@code attempts} failed ones. */
    public boolean retriesAfter(int attempts) {
        return attempts < maxAttempts;
    }

    /** The wait before the next attempt after {@code attempts} (≥ 1) failed ones. */
    public Duration delayAfter(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 30);
        long millis = first.toMillis() << doublings;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
