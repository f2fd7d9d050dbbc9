package dev.reprise.orchestrator.execution;

/** Receives what executors observe. Must be thread-safe and must not block for long. */
@FunctionalInterface
public interface TrialObserver {

    void observe(TrialObservation observation);
}
