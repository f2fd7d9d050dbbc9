package dev.reprise.cli.client;

/** A queue as the orchestrator returns it ({@code GET /api/v1/queues}); placement stays in the raw JSON. */
public record Queue(String name, Integer maxRunning, Integer gpuQuota, Integer running, Integer gpusInUse,
        Long queued) {
}
