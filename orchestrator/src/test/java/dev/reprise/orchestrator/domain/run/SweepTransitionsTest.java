package dev.reprise.orchestrator.domain.run;

import static dev.reprise.orchestrator.domain.run.SweepStatus.CANCELLED;
import static dev.reprise.orchestrator.domain.run.SweepStatus.FAILED;
import static dev.reprise.orchestrator.domain.run.SweepStatus.QUEUED;
import static dev.reprise.orchestrator.domain.run.SweepStatus.RUNNING;
import static dev.reprise.orchestrator.domain.run.SweepStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweepTransitionsTest {

    /** The whole table: every status and the statuses it may move to; every pair not listed is refused. */
    private static final Map<SweepStatus, Set<SweepStatus>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, SUCCEEDED, FAILED, CANCELLED),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED),
            SUCCEEDED, EnumSet.of(RUNNING),
            FAILED, EnumSet.of(RUNNING),
            CANCELLED, EnumSet.noneOf(SweepStatus.class));

    @Test
    void allowsExactlyTheMovesOfTheTableAndRefusesEveryOtherWithAReason() {
        for (SweepStatus from : SweepStatus.values()) {
            for (SweepStatus to : SweepStatus.values()) {
                Transition<SweepStatus> t = SweepTransitions.of(from, to);
                if (ALLOWED.get(from).contains(to)) {
                    assertThat(t).as(from + " -> " + to).isEqualTo(new Transition.Allowed<>(from, to));
                } else {
                    assertThat(t).as(from + " -> " + to).isInstanceOf(Transition.Refused.class);
                    assertThat(((Transition.Refused<SweepStatus>) t).reason()).isNotBlank();
                }
            }
        }
    }

    @Test
    void reopensAFinishedSweepWhenItGrowsButNeverACancelledOne() {
        assertThat(SweepTransitions.of(SUCCEEDED, RUNNING).allowed()).isTrue();
        assertThat(SweepTransitions.of(FAILED, RUNNING).allowed()).isTrue();
        assertThat(SweepTransitions.of(CANCELLED, RUNNING))
                .isEqualTo(new Transition.Refused<>(CANCELLED, RUNNING, "the sweep was cancelled"));
    }

    @Test
    void refusesToCancelASweepThatEnded() {
        assertThat(SweepTransitions.of(SUCCEEDED, CANCELLED))
                .isEqualTo(new Transition.Refused<>(SUCCEEDED, CANCELLED, "the sweep already ended (SUCCEEDED)"));
    }

    @Test
    void pausesAndResumesOnlyASweepThatHasNotEnded() {
        for (SweepAction action : List.of(new SweepAction.Pause(), new SweepAction.Resume())) {
            assertThat(SweepTransitions.refusal(7, QUEUED, action)).as(action.verb()).isEmpty();
            assertThat(SweepTransitions.refusal(7, RUNNING, action)).as(action.verb()).isEmpty();
            assertThat(SweepTransitions.refusal(7, FAILED, action)).as(action.verb())
                    .contains("cannot " + action.verb() + " sweep 7: it already ended (FAILED)");
        }
    }

    @Test
    void cancelsOnlyASweepThatHasNotEnded() {
        assertThat(SweepTransitions.refusal(7, RUNNING, new SweepAction.Cancel())).isEmpty();
        assertThat(SweepTransitions.refusal(7, CANCELLED, new SweepAction.Cancel()))
                .contains("sweep 7 already ended (CANCELLED)");
    }

    @Test
    void extendsEverySweepButACancelledOne() {
        for (SweepStatus status : EnumSet.complementOf(EnumSet.of(CANCELLED))) {
            assertThat(SweepTransitions.refusal(7, status, new SweepAction.Extend(10))).as(status.name()).isEmpty();
        }
        assertThat(SweepTransitions.refusal(7, CANCELLED, new SweepAction.Extend(10)))
                .contains("sweep 7 was cancelled; submit it again instead");
    }

    @Test
    void offersTheActionsASweepMayTakeNow() {
        assertThat(SweepTransitions.actionsOf(RUNNING, false)).containsExactly("pause", "extend", "cancel");
        assertThat(SweepTransitions.actionsOf(QUEUED, true)).containsExactly("resume", "extend", "cancel");
        assertThat(SweepTransitions.actionsOf(SUCCEEDED, false)).containsExactly("extend");
        assertThat(SweepTransitions.actionsOf(CANCELLED, false)).isEmpty();
        // retry is offered only where a run may take it, and never on a cancelled sweep
        assertThat(SweepTransitions.actionsOf(SUCCEEDED, false, java.util.Map.of(RunState.FAILED, 2L,
                RunState.SUCCEEDED, 5L))).containsExactly("extend", "retry");
        assertThat(SweepTransitions.actionsOf(RUNNING, false, java.util.Map.of(RunState.SUCCEEDED, 5L,
                RunState.RUNNING, 1L))).containsExactly("pause", "extend", "cancel");
        assertThat(SweepTransitions.actionsOf(CANCELLED, false, java.util.Map.of(RunState.CANCELLED, 3L))).isEmpty();
    }

    @Test
    void aCancelledSweepIsNeverRetriedAndAnyOtherMayBe() {
        for (SweepStatus status : SweepStatus.values()) {
            assertThat(SweepTransitions.refusal(7, status, new SweepAction.Retry(true, List.of())).isPresent())
                    .as(status.name()).isEqualTo(status == CANCELLED);
        }
        assertThat(SweepTransitions.refusal(7, CANCELLED, new SweepAction.Retry(true, List.of()))).hasValueSatisfying(
                reason -> assertThat(reason).startsWith("sweep 7 was cancelled").contains("reprise rerun"));
    }
}
