package dev.reprise.orchestrator.domain.search.stopping;

import java.util.ArrayList;
import java.util.List;

/**
 * How much training early stopping saved in a sweep: each stopped trial trained to its last step of the objective
 * instead of {@code maxSteps} (the rule's {@code max_iter}, else the most steps a trial of the sweep completed). Where
 * the trial's GPUs and wall time are known, the GPU-seconds it did not use are estimated at the rate it trained
 * (GPU-seconds per step so far × steps not trained).
 */
public final class StoppingSavings {

    /** A trial the rule stopped: its last step (null if it reported none), GPUs and seconds it ran (null if unknown). */
    public record Stopped(long runId, int index, Long lastStep, int gpus, Double seconds) {
    }

    /** One stopped trial's figures; null where they cannot be known. */
    public record Saved(long runId, int index, Long stoppedAtStep, Long stepsNotTrained, Double gpuSeconds,
            Double gpuSecondsSaved) {
    }

    /** The sweep's figures: sums over the stopped trials (GPU figures over those where they are known). */
    public record Summary(Long maxSteps, int stoppedRuns, long stepsTrained, Long stepsNotTrained,
            Double gpuSecondsUsed, Double gpuSecondsSaved, List<Saved> runs) {
    }

    private StoppingSavings() {
    }

    public static Summary of(Long maxSteps, List<Stopped> stopped) {
        List<Saved> runs = new ArrayList<>();
        long trained = 0;
        long notTrained = 0;
        double used = 0;
        double saved = 0;
        boolean anyGpu = false;
        boolean anySaved = false;
        for (Stopped s : stopped) {
            long last = s.lastStep() == null ? 0 : Math.max(0, s.lastStep());
            trained += last;
            Long missing = maxSteps == null ? null : Math.max(0, maxSteps - last);
            if (missing != null) {
                notTrained += missing;
            }
            Double gpuSeconds = s.gpus() > 0 && s.seconds() != null ? s.gpus() * s.seconds() : null;
            Double gpuSaved = gpuSeconds != null && missing != null && last > 0 ? gpuSeconds / last * missing : null;
            if (gpuSeconds != null) {
                anyGpu = true;
                used += gpuSeconds;
                saved += gpuSaved == null ? 0 : gpuSaved;
                anySaved |= gpuSaved != null;
            }
            runs.add(new Saved(s.runId(), s.index(), s.lastStep(), missing, gpuSeconds, gpuSaved));
        }
        return new Summary(maxSteps, stopped.size(), trained, maxSteps == null ? null : notTrained,
                anyGpu ? used : null, anySaved ? saved : null, List.copyOf(runs));
    }
}
