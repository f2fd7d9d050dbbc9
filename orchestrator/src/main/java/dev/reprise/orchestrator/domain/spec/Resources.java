package dev.reprise.orchestrator.domain.spec;

/**
 * Compute resources for one trial. Quantities keep the Kubernetes notation the user wrote ("500m", "8Gi").
 * Any field may be null when not requested. {@code cpu}, {@code memory} and the GPUs are per node; {@code nodes}
 * is how many nodes one trial spans (1 = an ordinary trial; N &gt; 1 = a distributed trial whose command runs once
 * per node), so a trial holds {@link #totalGpus()} = nodes × GPUs. {@code timeLimitSeconds}: how long one attempt
 * may run before it is stopped and fails with cause TIME_LIMIT (null = no limit).
 */
public record Resources(String cpu, String memory, int gpuCount, String gpuType, int nodes, Long timeLimitSeconds) {

    public static final Resources NONE = new Resources(null, null, 0, null, 1);

    public Resources(String cpu, String memory, int gpuCount, String gpuType) {
        this(cpu, memory, gpuCount, gpuType, 1);
    }

    public Resources(String cpu, String memory, int gpuCount, String gpuType, int nodes) {
        this(cpu, memory, gpuCount, gpuType, nodes, null);
    }

    /** GPUs the whole trial holds: nodes × GPUs per node. What queue quotas count. */
    public int totalGpus() {
        return nodes * gpuCount;
    }

    public boolean distributed() {
        return nodes > 1;
    }
}
