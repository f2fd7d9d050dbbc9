package dev.reprise.orchestrator.domain.usage;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Energy from GPU power samples: the trapezoidal integral of power over time, per GPU, in watt-hours. Nothing is
 * extrapolated before the first or after the last sample, and an interval longer than {@link #MAX_GAP} (the agent
 * was silent: paused, partitioned, or between attempts) is left out rather than guessed. Negative and non-finite
 * readings are ignored. Pure.
 */
public final class Energy {

    /** Intervals between two samples longer than this are not integrated. */
    public static final Duration MAX_GAP = Duration.ofMinutes(5);

    private Energy() {
    }

    /** Watt-hours of one GPU from its samples (any order). */
    public static double wattHours(List<PowerSample> samples) {
        List<PowerSample> sorted = samples.stream()
                .filter(s -> Double.isFinite(s.watts()) && s.watts() >= 0)
                .sorted(Comparator.comparing(PowerSample::at))
                .toList();
        double joules = 0;
        for (int i = 1; i < sorted.size(); i++) {
            PowerSample a = sorted.get(i - 1);
            PowerSample b = sorted.get(i);
            Duration dt = Duration.between(a.at(), b.at());
            if (dt.isZero() || dt.compareTo(MAX_GAP) > 0) {
                continue;
            }
            joules += (a.watts() + b.watts()) / 2 * (dt.toMillis() / 1000.0);
        }
        return joules / 3600.0;
    }

    /** Watt-hours of several GPUs, each integrated on its own samples. */
    public static double wattHours(Collection<List<PowerSample>> perGpu) {
        return perGpu.stream().mapToDouble(Energy::wattHours).sum();
    }
}
