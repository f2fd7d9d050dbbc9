package dev.reprise.orchestrator.domain.scheduling;

/** Trials and GPUs a queue has in use now, across all its sweeps. */
public record QueueUsage(int running, int gpus) {

    public static final QueueUsage NONE = new QueueUsage(0, 0);
}
