package dev.reprise.orchestrator.domain.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccountingTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void chargesNodesTimesGpusTimesTheObservedWallTime() {
        double wall = Accounting.wallSeconds(T, T.plusSeconds(600), T.plusSeconds(9999), null, null);

        assertThat(wall).isEqualTo(600.0);
        assertThat(Accounting.gpuSeconds(2, 4, wall)).isEqualTo(4800.0);
        assertThat(Accounting.gpuSeconds(1, 0, wall)).isZero();
    }

    @Test
    void anAttemptThatNeverStartedCostsNothing() {
        assertThat(Accounting.wallSeconds(null, T, T, null, null)).isZero();
    }

    @Test
    void aRunningAttemptIsChargedUpToNow() {
        assertThat(Accounting.wallSeconds(T, null, T.plusSeconds(90), null, null)).isEqualTo(90.0);
    }

    @Test
    void onlyThePartInsideTheWindowCounts() {
        Instant from = T.plusSeconds(100);
        Instant to = T.plusSeconds(250);

        assertThat(Accounting.wallSeconds(T, T.plusSeconds(400), T.plusSeconds(999), from, to)).isEqualTo(150.0);
        assertThat(Accounting.wallSeconds(T, T.plusSeconds(50), T.plusSeconds(999), from, to)).isZero();
    }

    @Test
    void cpuSecondsAreTheRequestedCoresTimesWallTime() {
        assertThat(Accounting.cores("500m")).isEqualTo(0.5);
        assertThat(Accounting.cores("2")).isEqualTo(2.0);
        assertThat(Accounting.cores("1.5")).isEqualTo(1.5);
        assertThat(Accounting.cores(null)).isZero();
        assertThat(Accounting.cpuSeconds(2, "250m", 100)).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void preemptedAndFailedAttemptsAreToldApart() {
        assertThat(Accounting.Outcome.of("PREEMPTED")).isEqualTo(Accounting.Outcome.PREEMPTED);
        assertThat(Accounting.Outcome.of("FAILED")).isEqualTo(Accounting.Outcome.FAILED);
        assertThat(Accounting.Outcome.of("LOST")).isEqualTo(Accounting.Outcome.FAILED);
        assertThat(Accounting.Outcome.of("RUNNING")).isEqualTo(Accounting.Outcome.RUNNING);
        assertThat(Accounting.Outcome.of("SUCCEEDED")).isEqualTo(Accounting.Outcome.COMPLETED);
        assertThat(Accounting.Outcome.of("STOPPED_EARLY")).isEqualTo(Accounting.Outcome.COMPLETED);
    }
}
