package dev.reprise.orchestrator.domain.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunTokenLifetimeTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(2);

    @Test
    void worksWhileItsAttemptRuns() {
        assertThat(RunTokenLifetime.accepts(1, 1, "RUNNING", null, NOW, GRACE)).isTrue();
        assertThat(RunTokenLifetime.accepts(0, 0, "LAUNCHING", null, NOW, GRACE)).isTrue();
    }

    @Test
    void worksForTheLastUploadsWithinTheGraceAfterTheAttemptEnded() {
        assertThat(RunTokenLifetime.accepts(0, 0, "SUCCEEDED", NOW.minusSeconds(119), NOW, GRACE)).isTrue();
    }

    @Test
    void isRefusedOnceTheGraceIsOver() {
        assertThat(RunTokenLifetime.accepts(0, 0, "SUCCEEDED", NOW.minusSeconds(121), NOW, GRACE)).isFalse();
        assertThat(RunTokenLifetime.accepts(0, 0, "FAILED", NOW.minus(Duration.ofMinutes(4)), NOW, GRACE)).isFalse();
    }

    @Test
    void isRefusedForAnAttemptThatIsNotTheRunsCurrentOne() {
        assertThat(RunTokenLifetime.accepts(0, 1, "RUNNING", null, NOW, GRACE)).isFalse();
        assertThat(RunTokenLifetime.accepts(2, 1, "RUNNING", null, NOW, GRACE)).isFalse();
    }

    @Test
    void isRefusedForAFinalRunWithoutAnEndTimeAndForUnknownStates() {
        assertThat(RunTokenLifetime.accepts(0, 0, "CANCELLED", null, NOW, GRACE)).isFalse();
        assertThat(RunTokenLifetime.accepts(0, 0, "EXPLODED", null, NOW, GRACE)).isFalse();
    }
}
