package dev.reprise.orchestrator.domain.run;

import static dev.reprise.orchestrator.domain.run.SweepStatus.CANCELLED;
import static dev.reprise.orchestrator.domain.run.SweepStatus.FAILED;
import static dev.reprise.orchestrator.domain.run.SweepStatus.QUEUED;
import static dev.reprise.orchestrator.domain.run.SweepStatus.RUNNING;
import static dev.reprise.orchestrator.domain.run.SweepStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
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
}
