package dev.reprise.orchestrator.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Failed sign-ins per client address ({@code reprise.security.rate-limit.sign-in-failures-per-minute}, burst
 * {@code sign-in-failure-burst}): once a client has used them up, every sign-in from it answers 429 with
 * Retry-After until the bucket refills, whether its token is right or not.
 */
@ApplicationScoped
public class SignInLimiter {

    private final RateLimiter failures;

    public SignInLimiter(SecurityConfig config) {
        this.failures = RateLimiter.of(config.rateLimit().signInFailuresPerMinute(),
                config.rateLimit().signInFailureBurst());
    }

    /** How long the client must wait before it may try again; empty when it may now. */
    public Optional<Duration> waiting(String client) {
        return failures.waiting(key(client));
    }

    /** Counts a failed sign-in of the client. */
    public void failed(String client) {
        failures.acquire(key(client));
    }

    private static String key(String client) {
        return client == null ? "unknown" : client;
    }
}
