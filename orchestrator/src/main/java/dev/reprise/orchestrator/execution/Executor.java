package dev.reprise.orchestrator.execution;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where trials run: the one seam between Reprise's shared core (scheduler, ingest, provenance) and a backend.
 * Implementations: {@code kubernetes} (a batch/v1 Job per attempt) and {@code local} (a process per attempt),
 * chosen by {@code reprise.executor}. Every method is idempotent and safe to retry; what happens to trials is
 * reported asynchronously to the {@link TrialObserver} given at start.
 */
public interface Executor {

    /** Starts watching the backend; observations of every Reprise trial go to {@code observer}. */
    void start(TrialObserver observer);

    /** Starts the attempt. An attempt that already exists counts as launched (no duplicate is created). */
    void launch(TrialLaunch launch) throws LaunchException;

    /** Launches several attempts, in parallel where the backend allows; returns those that failed. */
    default List<LaunchFailure> launchAll(Collection<TrialLaunch> launches) {
        List<LaunchFailure> failures = new java.util.ArrayList<>();
        for (TrialLaunch l : launches) {
            try {
                launch(l);
            } catch (LaunchException e) {
                failures.add(new LaunchFailure(l, e));
            }
        }
        return failures;
    }

    /** Stops one attempt (cancel, early stop) and removes what it left behind; unknown attempts are ignored. */
    void stop(long runId, int attempt);

    /** Stops every attempt of a sweep. */
    void stopSweep(long sweepId);

    /**
     * What runs the trial's command where that is not the trial's container image, for the run's provenance: the
     * local executor runs commands on its own machine. Null (the default) when the image is what runs.
     */
    default String runtime() {
        return null;
    }

    /**
     * The run lifecycle has applied (or deliberately ignored) this observation and committed the result: the backend
     * may forget what it kept to report it again (the local executor's record of a trial that ended). Until then an
     * ended trial stays in {@link #list()} as finished, so that reconciliation does not take it for vanished.
     */
    default void applied(TrialObservation observation) {
    }

    /**
     * The most nodes one trial may span on this backend ({@code resources.nodes}); a sweep asking for more is refused
     * at submission. Both shipped executors run distributed trials; a backend that cannot says 1.
     */
    default int maxNodes() {
        return Integer.MAX_VALUE;
    }

    /**
     * Whether the ranks of a distributed attempt meet at the orchestrator's rendezvous (ADR 0008) to learn rank 0's
     * address and start together; the start deadline then applies to them. The local executor gives every rank its
     * variables itself and starts them together, so it does not.
     */
    default boolean rendezvous() {
        return false;
    }

    /**
     * The port rank 0 of a distributed attempt listens on, which the rendezvous gives every rank as
     * {@code MASTER_PORT}: PyTorch's 29500 where each rank has its own network namespace (pods), the default.
     */
    default int masterPort(long runId, int attempt) {
        return DistributedEnv.DEFAULT_MASTER_PORT;
    }

    /**
     * From when the start deadline of a distributed attempt counts (ADR 0008): its launch, unless the backend holds
     * its pods back on purpose — a Job that Kueue keeps suspended while its workload waits for quota. Empty while the
     * attempt is held (the deadline does not run then); after a hold, the moment it was released. The default: the
     * launch.
     */
    default Optional<Instant> startDeadlineClock(long runId, int attempt, Instant launchedAt) {
        return Optional.ofNullable(launchedAt);
    }

    /**
     * The rendezvous gave {@code member} (a pod of the attempt) its rank: the backend may record it where operators
     * and the watcher see it (a pod label). Best effort; the default does nothing.
     */
    default void rankAssigned(long runId, int attempt, String member, int rank) {
    }

    /**
     * Whether the sweeps' secret references ({@code env: {X: {secret, key}}}) are resolved from Reprise's own
     * project secret store, which a submission can then check, rather than by the backend (Kubernetes Secrets, which
     * the orchestrator never reads).
     */
    default boolean usesLocalSecretStore() {
        return false;
    }

    /** Every attempt the backend currently knows about, for reconciliation after a restart. */
    List<TrialRef> list();

    /**
     * An attempt as the backend knows it. {@code finished}: it ended and is only kept for inspection (a Job with its
     * Complete or Failed condition, until its TTL); there is nothing left to stop.
     */
    record TrialRef(long runId, int attempt, long sweepId, boolean finished) {

        public TrialRef(long runId, int attempt, long sweepId) {
            this(runId, attempt, sweepId, false);
        }
    }

    /** A launch that failed; {@code error.retryable()} says whether trying again later may work. */
    record LaunchFailure(TrialLaunch launch, LaunchException error) {
    }
}
