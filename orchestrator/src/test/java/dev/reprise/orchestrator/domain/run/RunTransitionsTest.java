package dev.reprise.orchestrator.domain.run;

import static dev.reprise.orchestrator.domain.run.RunState.CANCELLED;
import static dev.reprise.orchestrator.domain.run.RunState.FAILED;
import static dev.reprise.orchestrator.domain.run.RunState.LAUNCHING;
import static dev.reprise.orchestrator.domain.run.RunState.LOST;
import static dev.reprise.orchestrator.domain.run.RunState.PREEMPTED;
import static dev.reprise.orchestrator.domain.run.RunState.QUEUED;
import static dev.reprise.orchestrator.domain.run.RunState.RUNNING;
import static dev.reprise.orchestrator.domain.run.RunState.STOPPED_EARLY;
import static dev.reprise.orchestrator.domain.run.RunState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunTransitionsTest {

    /** The whole table: every state and the states it may move to; every pair not listed is refused. */
    private static final Map<RunState, Set<RunState>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(QUEUED, LAUNCHING, RUNNING, SUCCEEDED, FAILED, LOST, CANCELLED),
            LAUNCHING, EnumSet.of(QUEUED, RUNNING, PREEMPTED, SUCCEEDED, FAILED, LOST, CANCELLED),
            RUNNING, EnumSet.of(QUEUED, RUNNING, PREEMPTED, SUCCEEDED, FAILED, LOST, STOPPED_EARLY, CANCELLED),
            PREEMPTED, EnumSet.of(QUEUED, CANCELLED),
            SUCCEEDED, EnumSet.noneOf(RunState.class),
            FAILED, EnumSet.noneOf(RunState.class),
            CANCELLED, EnumSet.noneOf(RunState.class),
            LOST, EnumSet.noneOf(RunState.class),
            STOPPED_EARLY, EnumSet.noneOf(RunState.class));

    @Test
    void allowsExactlyTheMovesOfTheTableAndRefusesEveryOtherWithAReason() {
        for (RunState from : RunState.values()) {
            for (RunState to : RunState.values()) {
                Transition<RunState> t = RunTransitions.of(from, to);
                assertThat(t.from()).isEqualTo(from);
                assertThat(t.to()).isEqualTo(to);
                if (ALLOWED.get(from).contains(to)) {
                    assertThat(t).as(from + " -> " + to).isInstanceOf(Transition.Allowed.class);
                    assertThat(t.target()).isEqualTo(to);
                    assertThat(from.canMoveTo(to)).isTrue();
                } else {
                    assertThat(t).as(from + " -> " + to).isInstanceOf(Transition.Refused.class);
                    assertThat(((Transition.Refused<RunState>) t).reason()).isNotBlank();
                    assertThat(from.canMoveTo(to)).isFalse();
                }
            }
        }
    }

    @Test
    void letsALaunchRetriedLaterGoBackToTheQueue() {
        assertThat(RunTransitions.of(LAUNCHING, QUEUED).allowed()).isTrue();
    }

    @Test
    void stopsOnlyARunningTrialEarly() {
        assertThat(RunTransitions.of(QUEUED, STOPPED_EARLY)).isEqualTo(
                new Transition.Refused<>(QUEUED, STOPPED_EARLY, "only a running trial is stopped early"));
        assertThat(RunTransitions.of(RUNNING, STOPPED_EARLY).allowed()).isTrue();
    }

    @Test
    void neverMovesARunThatEnded() {
        assertThat(RunTransitions.of(SUCCEEDED, QUEUED))
                .isEqualTo(new Transition.Refused<>(SUCCEEDED, QUEUED, "the run already ended (SUCCEEDED)"));
    }

    @Test
    void refusedTransitionsThrowWhenAWriterAppliesThem() {
        assertThatThrownBy(() -> RunTransitions.of(CANCELLED, RUNNING).target())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("CANCELLED -> RUNNING refused: the run already ended (CANCELLED)");
    }

    @Test
    void cancellingTouchesEveryRunThatHasNotEnded() {
        assertThat(RunTransitions.sourcesOf(CANCELLED)).containsExactlyInAnyOrder(QUEUED, LAUNCHING, RUNNING,
                PREEMPTED);
    }

    @Test
    void aUserRetriesOnlyARunThatFailedWasLostOrCancelledAndItIsQueuedAgain() {
        for (RunState from : RunState.values()) {
            Transition<RunState> t = RunTransitions.retry(from);
            assertThat(t.allowed()).as(from.name()).isEqualTo(from == FAILED || from == LOST || from == CANCELLED);
            assertThat(t.to()).isEqualTo(QUEUED);
        }
        assertThat(RunTransitions.retry(SUCCEEDED)).isEqualTo(new Transition.Refused<>(SUCCEEDED, QUEUED,
                "the run succeeded"));
        assertThat(((Transition.Refused<RunState>) RunTransitions.retry(RUNNING)).reason())
                .isEqualTo("the run has not ended (RUNNING)");
        // the state machine itself still never moves an ended run: a retry is the user's, through retry() only
        assertThat(RunTransitions.of(FAILED, QUEUED).allowed()).isFalse();
    }
}
