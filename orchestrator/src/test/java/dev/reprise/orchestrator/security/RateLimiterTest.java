package dev.reprise.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void allowsTheBurstThenOneMoreAsTheBucketRefills() {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(60, 3, now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("token:1")).isEmpty();
        }
        assertThat(limiter.acquire("token:1")).hasValueSatisfying(d -> assertThat(d).isEqualTo(Duration.ofSeconds(1)));
        assertThat(limiter.acquire("token:2")).as("another credential has its own bucket").isEmpty();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(limiter.acquire("token:1")).isEmpty();
        assertThat(limiter.acquire("token:1")).isPresent();
    }
}
