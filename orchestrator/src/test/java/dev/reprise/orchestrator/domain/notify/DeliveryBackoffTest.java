package dev.reprise.orchestrator.domain.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliveryBackoffTest {

    private final DeliveryBackoff backoff = new DeliveryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), 6);

    @Test
    void doublesTheWaitAfterEachFailureUpToTheMaximum() {
        assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.delayAfter(5)).isEqualTo(Duration.ofSeconds(160));
        assertThat(backoff.delayAfter(6)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.delayAfter(500)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void stopsRetryingOnceTheAttemptsRanOut() {
        assertThat(backoff.retriesAfter(5)).isTrue();
        assertThat(backoff.retriesAfter(6)).isFalse();
    }

    @Test
    void refusesAMaximumBelowTheFirstWait() {
        assertThatThrownBy(() -> new DeliveryBackoff(Duration.ofSeconds(10), Duration.ofSeconds(1), 3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
