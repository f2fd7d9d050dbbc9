package dev.reprise.orchestrator.domain.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentExitCodesTest {

    @Test
    void classifiesDataFailuresApartFromTheTrainingProcesssExitCodes() {
        assertThat(AgentExitCodes.cause(65)).isEqualTo(FailureCause.DATA_ERROR);
        assertThat(AgentExitCodes.cause(69)).isEqualTo(FailureCause.INFRASTRUCTURE);
        assertThat(AgentExitCodes.cause(1)).isEqualTo(FailureCause.USER_ERROR);
        assertThat(AgentExitCodes.cause(137)).isEqualTo(FailureCause.USER_ERROR);
    }

    @Test
    void neitherRetriesNorChargesTheBudgetForCorruptData() {
        assertThat(FailureCause.DATA_ERROR.countsAgainstBudget()).isFalse();
        assertThat(RetryPolicy.DEFAULTS.retriesAfter(FailureCause.DATA_ERROR, 1)).isFalse();
        assertThat(RetryPolicy.DEFAULTS.retriesAfter(FailureCause.INFRASTRUCTURE, 1)).isTrue();
    }
}
