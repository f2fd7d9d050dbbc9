package dev.reprise.orchestrator.domain.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class GpuBudgetTest {

    @Test
    void aTrialMayStartWhileUsedPlusRunningStayBelowTheBudget() {
        GpuBudget budget = new GpuBudget(2);

        assertThat(budget.refusal(3600, 3599)).isEmpty();
    }

    @Test
    void nothingStartsOnceUsedPlusRunningReachTheBudgetAndTheReasonSaysWhy() {
        GpuBudget budget = new GpuBudget(2);

        assertThat(budget.refusal(3600, 3600)).contains("GPU-hour budget reached: 2 of 2 GPU-hours used");
        assertThat(budget.refusal(7200, 36)).contains("GPU-hour budget reached: 2.01 of 2 GPU-hours used");
    }

    @Test
    void aBudgetMustBePositive() {
        assertThatThrownBy(() -> new GpuBudget(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GpuBudget(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GpuBudget(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void quotaPeriodsStartAtUtcCalendarBoundaries() {
        Instant now = Instant.parse("2026-12-10T15:30:00Z"); // a Thursday

        assertThat(QuotaPeriod.DAY.start(now)).isEqualTo(Instant.parse("2026-12-10T00:00:00Z"));
        assertThat(QuotaPeriod.WEEK.start(now)).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
        assertThat(QuotaPeriod.MONTH.start(now)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    }

    @Test
    void groupByNamesAreTheLowerCaseKeys() {
        assertThat(UsageGroup.fromWireName("queue")).contains(UsageGroup.QUEUE);
        assertThat(UsageGroup.fromWireName("QUEUE")).isEmpty();
        assertThat(UsageGroup.fromWireName("team")).isEmpty();
    }
}
