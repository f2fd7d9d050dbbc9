package dev.reprise.orchestrator.domain.spec;

/**
 * Compute resources for one trial. Quantities keep the Kubernetes notation the user wrote ("500m", "8Gi").
 * Any field may be null when not requested.
 */
public record Resources(String cpu, String memory, int gpuCount, String gpuType) {

    public static final Resources NONE = new Resources(null, null, 0, null);
}
