package dev.reprise.orchestrator.domain.provenance;

/**
 * How new runs come about, recorded in their provenance: which executor will run them and with what (for the local
 * executor, which runs commands on its own machine instead of in an image), and, for a re-run, the run it repeats
 * and the seed pinned from it.
 *
 * @param executor   {@code kubernetes}, {@code local} or {@code none}
 * @param runtime    what runs the command where it is not the image (null for Kubernetes)
 * @param rerunOf    the run this one re-runs, or null
 * @param pinnedSeed the seed to use instead of the one derived from the sweep seed and trial index, or null
 */
public record RunOrigin(String executor, String runtime, Long rerunOf, Long pinnedSeed) {

    public RunOrigin withRerun(long runId, long seed) {
        return new RunOrigin(executor, runtime, runId, seed);
    }
}
