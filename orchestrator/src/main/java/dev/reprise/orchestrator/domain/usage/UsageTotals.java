package dev.reprise.orchestrator.domain.usage;

/** Sums over attempts: how many, GPU-seconds, CPU-seconds requested, and GPU energy in watt-hours. */
public record UsageTotals(long attempts, double gpuSeconds, double cpuSeconds, double energyWh) {

    public static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0);

    public UsageTotals plus(UsageTotals o) {
        return new UsageTotals(attempts + o.attempts, gpuSeconds + o.gpuSeconds, cpuSeconds + o.cpuSeconds,
                energyWh + o.energyWh);
    }

    public double gpuHours() {
        return gpuSeconds / 3600.0;
    }
}
