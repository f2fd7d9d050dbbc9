package dev.reprise.orchestrator.domain.run;

import java.util.Locale;

/**
 * What a user may do to a sweep after submitting it: the closed set behind the REST endpoints, the CLI commands and
 * the dashboard's buttons. {@link SweepTransitions#refusal} says whether a sweep in a given status may take one.
 */
public sealed interface SweepAction permits SweepAction.Pause, SweepAction.Resume, SweepAction.Extend,
        SweepAction.Cancel, SweepAction.Retry {

    /** The action's name in the API (the endpoint's last path segment, an entry of a sweep's {@code actions}). */
    default String verb() {
        return getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** No new trials start; running ones finish. */
    record Pause() implements SweepAction {
    }

    /** New trials start again. */
    record Resume() implements SweepAction {
    }

    /** Raises max_trials (reopens a sweep that ended but was not cancelled). */
    record Extend(int maxTrials) implements SweepAction {
    }

    /**
     * Failed, lost or cancelled runs get a new attempt in place (same index, parameters and seed, resuming from their
     * checkpoint): every such run ({@code failed}), or the runs named. A sweep that ended is reopened.
     */
    record Retry(boolean failed, java.util.List<Long> runIds) implements SweepAction {
        public Retry {
            runIds = runIds == null ? java.util.List.of() : java.util.List.copyOf(runIds);
        }
    }

    /** Every queued and running trial is cancelled and the sweep ends CANCELLED. */
    record Cancel() implements SweepAction {
    }
}
