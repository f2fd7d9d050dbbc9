package dev.reprise.orchestrator.domain.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void aTrialOverItsTimeLimitIsTheTrialsOwnFailureChargedToTheBudgetAndNotRetried() {
        assertThat(FailureCause.TIME_LIMIT.countsAgainstBudget()).isTrue();
        assertThat(RetryPolicy.DEFAULTS.retries(FailureCause.TIME_LIMIT)).isZero();
        assertThat(RetryPolicy.DEFAULTS.retriesAfter(FailureCause.TIME_LIMIT, 1)).isFalse();
    }

    @Test
    void thePlatformsFailuresAreRetriedAndTheUsersAreNot() {
        assertThat(RetryPolicy.DEFAULTS.retriesAfter(FailureCause.INFRASTRUCTURE, 1)).isTrue();
        assertThat(RetryPolicy.DEFAULTS.retriesAfter(FailureCause.USER_ERROR, 1)).isFalse();
        assertThat(RetryPolicy.DEFAULTS.retriesAfter(FailureCause.OOM_KILLED, 1)).isFalse();
    }
}
