package dev.reprise.orchestrator.execution;

import dev.reprise.orchestrator.domain.run.FailureCause;
import java.time.Instant;

/**
 * What an executor saw happen to one attempt of a run. Executors report observations; the run lifecycle (not the
 * executor) decides the resulting state, so both executors share one state machine.
 */
public sealed interface TrialObservation {

    long runId();

    int attempt();

    /** The backend accepted the trial (Job created, process spawned). */
    record Launched(long runId, int attempt, Instant at) implements TrialObservation {
    }

    /** The training process is running; nodeName and imageDigest as the backend reports them (may be null). */
    record Running(long runId, int attempt, Instant at, String nodeName, String imageDigest)
            implements TrialObservation {
    }

    record Succeeded(long runId, int attempt, Instant at, Integer exitCode) implements TrialObservation {
    }

    /** The attempt failed; cause classifies it for retry and failure-budget decisions. */
    record Failed(long runId, int attempt, Instant at, FailureCause cause, Integer exitCode, String message)
            implements TrialObservation {
    }

    /** Evicted or preempted by the platform: the run is requeued without using its failure budget. */
    record Preempted(long runId, int attempt, Instant at, String message) implements TrialObservation {
    }

    /** The agent stopped reporting (no heartbeat within the configured time) although the attempt should run. */
    record Lost(long runId, int attempt, Instant at, String message) implements TrialObservation {
    }

    /** The backend no longer has any trace of an attempt that should exist (deleted Job, vanished process). */
    record Vanished(long runId, int attempt, Instant at) implements TrialObservation {
    }
}
