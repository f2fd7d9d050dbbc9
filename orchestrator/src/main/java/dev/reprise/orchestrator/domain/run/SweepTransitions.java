package dev.reprise.orchestrator.domain.run;

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
}
