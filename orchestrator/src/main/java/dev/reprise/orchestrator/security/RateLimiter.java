package dev.reprise.orchestrator.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets per credential for submissions: up to {@code burst} at once, refilled at {@code perMinute} per
 * minute. In memory, per replica; the number of tracked credentials is bounded (full buckets are forgotten first).
 */
@ApplicationScoped
public class RateLimiter {

    private static final int MAX_TRACKED = 100_000;

    private final double perNano;
    private final double burst;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @jakarta.inject.Inject
    public RateLimiter(SecurityConfig config) {
        this(config.rateLimit().submissionsPerMinute(), config.rateLimit().submissionBurst(), System::nanoTime);
    }

    /** A limiter with its own rate (per key and minute) and burst. */
    public static RateLimiter of(int perMinute, int burst) {
        return new RateLimiter(perMinute, burst, System::nanoTime);
    }

    RateLimiter(int perMinute, int burst, LongSupplier clock) {
        this.perNano = perMinute / 60e9;
        this.burst = Math.max(1, burst);
        this.clock = clock;
    }

    /** Takes one submission from the credential's bucket; empty when allowed, else how long until one is. */
    public Optional<Duration> acquire(String credential) {
        long now = clock.getAsLong();
        if (buckets.size() > MAX_TRACKED) {
            buckets.values().removeIf(b -> b.level(now) >= burst);
        }
        Bucket bucket = buckets.computeIfAbsent(credential, k -> new Bucket(burst, now));
        synchronized (bucket) {
            double level = bucket.level(now);
            if (level >= 1) {
                bucket.tokens = level - 1;
                bucket.at = now;
                return Optional.empty();
            }
            long waitNanos = perNano <= 0 ? Long.MAX_VALUE / 2 : (long) Math.ceil((1 - level) / perNano);
            return Optional.of(Duration.ofNanos(waitNanos));
        }
    }

    /** How long until the key may act again, without taking anything; empty when it may now. */
    public Optional<Duration> waiting(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            return Optional.empty();
        }
        long now = clock.getAsLong();
        synchronized (bucket) {
            double level = bucket.level(now);
            if (level >= 1) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos(perNano <= 0 ? Long.MAX_VALUE / 2
                    : (long) Math.ceil((1 - level) / perNano)));
        }
    }

    private final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        double level(long now) {
            return Math.min(burst, tokens + (now - at) * perNano);
        }
    }
}
