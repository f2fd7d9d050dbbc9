package dev.reprise.orchestrator.domain.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sweep state machine. QUEUED until a trial launches, RUNNING while trials run or may still be suggested, then
 * SUCCEEDED or FAILED (decided from the trials and the failure budget) or CANCELLED by a user. Raising max_trials
 * reopens a SUCCEEDED or FAILED sweep; a CANCELLED one is never reopened (it is submitted again instead).
 */
public final class SweepTransitions {

    private SweepTransitions() {
    }

    public static Transition<SweepStatus> of(SweepStatus from, SweepStatus to) {
        String refusal;
        if (from == SweepStatus.CANCELLED) {
            refusal = "the sweep was cancelled";
        } else if (to == SweepStatus.QUEUED) {
            refusal = "a sweep is queued only when it is submitted";
        } else if (from.terminal()) {
            refusal = to == SweepStatus.RUNNING ? null : "the sweep already ended (" + from + ")";
        } else if (from == to) {
            refusal = "the sweep is already " + from;
        } else {
            refusal = null;
        }
        return refusal == null ? new Transition.Allowed<>(from, to) : new Transition.Refused<>(from, to, refusal);
    }

    /**
     * Why sweep {@code sweepId}, in {@code status}, may not take the user's action (the problem detail), or empty when
     * it may: pause and resume only while the sweep has not ended, cancel as {@link #of} allows
     * {@code status -> CANCELLED}, extend and retry unless it was cancelled (a sweep that ended otherwise is
     * reopened; which runs a retry may touch is {@link RunTransitions#retry}'s).
     */
    public static Optional<String> refusal(long sweepId, SweepStatus status, SweepAction action) {
        String refusal;
        if (action instanceof SweepAction.Cancel) {
            refusal = of(status, SweepStatus.CANCELLED).allowed() ? null
                    : "sweep " + sweepId + " already ended (" + status + ")";
        } else if (action instanceof SweepAction.Extend) {
            refusal = status == SweepStatus.CANCELLED
                    ? "sweep " + sweepId + " was cancelled; submit it again instead" : null;
        } else if (action instanceof SweepAction.Retry) {
            refusal = status == SweepStatus.CANCELLED ? "sweep " + sweepId + " was cancelled, and a cancelled sweep "
                    + "stays cancelled: submit it again (reprise rerun, or clone it) instead of retrying its runs"
                    : null;
        } else { // pause, resume
            refusal = status.terminal()
                    ? "cannot " + action.verb() + " sweep " + sweepId + ": it already ended (" + status + ")" : null;
        }
        return Optional.ofNullable(refusal);
    }

    /**
     * The actions a sweep in {@code status} takes now, by {@link SweepAction#verb()}: what the dashboard offers.
     * Pausing a paused sweep or resuming a running one changes nothing, so only the one that would is listed.
     */
    public static List<String> actionsOf(SweepStatus status, boolean paused) {
        return actionsOf(status, paused, java.util.Map.of());
    }

    /**
     * As {@link #actionsOf(SweepStatus, boolean)}, with {@code retry} when the sweep may take it and has a run that
     * {@link RunTransitions#retry} allows ({@code runCounts}: the sweep's runs by state).
     */
    public static List<String> actionsOf(SweepStatus status, boolean paused,
            java.util.Map<RunState, Long> runCounts) {
        boolean retryable = runCounts != null && runCounts.entrySet().stream()
                .anyMatch(e -> e.getValue() != null && e.getValue() > 0 && RunTransitions.retry(e.getKey()).allowed());
        List<String> out = new ArrayList<>();
        List<SweepAction> candidates = new ArrayList<>(List.of(paused ? new SweepAction.Resume()
                : new SweepAction.Pause(), new SweepAction.Extend(0)));
        if (retryable) {
            candidates.add(new SweepAction.Retry(true, List.of()));
        }
        candidates.add(new SweepAction.Cancel());
        for (SweepAction action : candidates) {
            if (refusal(0, status, action).isEmpty()) {
                out.add(action.verb());
            }
        }
        return out;
    }
}
