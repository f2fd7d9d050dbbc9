package dev.reprise.orchestrator.execution.kubernetes;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: try {@code n} waits between half and all of {@code min(max, initial * 2^n)}, so
 * many launches failing at once (an API server restarting) do not come back in step.
 */
public record Backoff(int maxAttempts, Duration initial, Duration max) {

    public Backoff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** The wait before attempt {@code attempt + 1} (attempt counts from 0), at least {@code floor}. */
    public Duration delay(int attempt, Duration floor) {
        long cap = max.toMillis();
        long base = initial.toMillis() << Math.min(attempt, 20);
        long ceiling = Math.max(1, Math.min(cap, base));
        long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        return Duration.ofMillis(Math.max(jittered, floor == null ? 0 : floor.toMillis()));
    }
}
