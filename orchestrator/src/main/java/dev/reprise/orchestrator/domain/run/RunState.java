package dev.reprise.orchestrator.domain.run;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of one trial. QUEUED -> LAUNCHING -> RUNNING -> SUCCEEDED | FAILED | CANCELLED | LOST | STOPPED_EARLY;
 * PREEMPTED goes back to QUEUED with a new attempt and does not count as a failure. The moves allowed are
 * {@link RunTransitions}'.
 */
public enum RunState {
    QUEUED, LAUNCHING, RUNNING, PREEMPTED, SUCCEEDED, FAILED, CANCELLED, LOST, STOPPED_EARLY;

    private static final Set<RunState> TERMINAL = EnumSet.of(SUCCEEDED, FAILED, CANCELLED, LOST, STOPPED_EARLY);

    public boolean terminal() {
        return TERMINAL.contains(this);
    }

    /** Whether the state machine ({@link RunTransitions}) allows moving from this state to {@code next}. */
    public boolean canMoveTo(RunState next) {
        return RunTransitions.of(this, next).allowed();
    }
}
