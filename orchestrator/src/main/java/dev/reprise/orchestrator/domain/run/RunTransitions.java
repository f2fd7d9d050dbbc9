package dev.reprise.orchestrator.domain.run;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The run state machine, the one place that says which moves a run may make. Every writer of {@code runs.state} (the
 * scheduler's claim and launch retry, the executor observations, cancelling a sweep) asks here first.
 *
 * <pre>
 *   QUEUED ──claim──► LAUNCHING ──observed──► RUNNING ──► SUCCEEDED | FAILED | LOST | STOPPED_EARLY
 *     ▲                  │  launch retried later   │
 *     └──────────────────┴──── retried / preempted ┘  (a new attempt; PREEMPTED is recorded on the attempt)
 *   any state that has not ended ──► CANCELLED
 *   FAILED | LOST | CANCELLED ──retry──► QUEUED   (a user's retry in place: a new attempt, {@link #retry})
 * </pre>
 *
 * An observation of the current attempt is never dropped: a launch retried later puts the run back in QUEUED with the
 * same attempt, and if that attempt's trial was created after all, what it reports (running, finished) still
 * applies. Ended runs never move again.
 */
public final class RunTransitions {

    private RunTransitions() {
    }

    public static Transition<RunState> of(RunState from, RunState to) {
        if (from.terminal()) {
            return new Transition.Refused<>(from, to, "the run already ended (" + from + ")");
        }
        String refusal = switch (to) {
            case QUEUED -> null; // requeued as a new attempt, or a launch retried later (from LAUNCHING)
            case LAUNCHING -> from == RunState.QUEUED ? null : "only a queued run is launched";
            case RUNNING -> from == RunState.PREEMPTED ? "a preempted run is queued again before it runs" : null;
            case PREEMPTED -> from == RunState.LAUNCHING || from == RunState.RUNNING ? null
                    : "only a launched run is preempted";
            case SUCCEEDED, FAILED, LOST -> from == RunState.PREEMPTED ? "a preempted run is queued again first"
                    : null;
            case STOPPED_EARLY -> from == RunState.RUNNING ? null : "only a running trial is stopped early";
            case CANCELLED -> null;
        };
        return refusal == null ? new Transition.Allowed<>(from, to) : new Transition.Refused<>(from, to, refusal);
    }

    /**
     * A user's retry in place (POST /api/v1/sweeps/{id}/retry): a run that failed, was lost or cancelled is queued
     * again as a new attempt with the same index, parameters and seed. A run that succeeded, was stopped early by the
     * sweep's rule or has not ended is not retried. The only move out of an ended state.
     */
    public static Transition<RunState> retry(RunState from) {
        String refusal = switch (from) {
            case FAILED, LOST, CANCELLED -> null;
            case SUCCEEDED -> "the run succeeded";
            case STOPPED_EARLY -> "the run was stopped early by the sweep's early-termination rule";
            case QUEUED, LAUNCHING, RUNNING, PREEMPTED -> "the run has not ended (" + from + ")";
        };
        return refusal == null ? new Transition.Allowed<>(from, RunState.QUEUED)
                : new Transition.Refused<>(from, RunState.QUEUED, refusal);
    }

    /** The states from which a run may move to {@code to}: what a bulk update may touch. */
    public static Set<RunState> sourcesOf(RunState to) {
        Set<RunState> sources = EnumSet.noneOf(RunState.class);
        Arrays.stream(RunState.values()).filter(s -> of(s, to).allowed()).forEach(sources::add);
        return sources;
    }
}
