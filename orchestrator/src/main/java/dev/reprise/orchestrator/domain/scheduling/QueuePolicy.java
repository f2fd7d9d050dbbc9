package dev.reprise.orchestrator.domain.scheduling;

/**
 * Limits of one queue. {@code maxRunning} and {@code gpuQuota} null mean unlimited.
 */
public record QueuePolicy(String name, Integer maxRunning, Integer gpuQuota) {

    public static QueuePolicy unlimited(String name) {
        return new QueuePolicy(name, null, null);
    }
}
