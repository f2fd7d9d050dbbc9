package dev.reprise.orchestrator.domain.usage;

import java.util.Locale;
import java.util.Optional;

/**
 * A limit on GPU-hours: a sweep's {@code budget.gpu_hours}, or a project's quota in a queue for one calendar period.
 * A new trial may start only while the GPU-hours already used (ended attempts) plus those the running attempts have
 * used so far stay below the limit; once they reach it, nothing new starts and the trials already running finish.
 * Pure.
 */
public record GpuBudget(double gpuHours) {

    public GpuBudget {
        if (!(gpuHours > 0) || !Double.isFinite(gpuHours)) {
            throw new IllegalArgumentException("a GPU-hour budget must be a positive number: " + gpuHours);
        }
    }

    /** Why no new trial may start, or empty when one may. */
    public Optional<String> refusal(double usedGpuSeconds, double runningGpuSeconds) {
        double spent = (usedGpuSeconds + runningGpuSeconds) / 3600.0;
        if (spent < gpuHours) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "GPU-hour budget reached: %s of %s GPU-hours used",
                hours(spent), hours(gpuHours)));
    }

    /** Hours with up to four significant decimals, without trailing zeros. */
    static String hours(double h) {
        String s = String.format(Locale.ROOT, "%.4f", h);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
