package dev.reprise.orchestrator.domain.scheduling;

import java.time.Instant;
import java.util.List;

/**
 * What one active sweep asks of the scheduler now.
 *
 * @param active        its trials that hold a slot (LAUNCHING or RUNNING)
 * @param gpusPerTrial  GPUs one trial requests
 * @param ready         ids of its runs ready to launch, in launch order (lowest index first)
 */
public record SweepDemand(long sweepId, String project, String queue, int priority, Instant createdAt,
        int parallelism, int active, int gpusPerTrial, List<Long> ready) {

    public SweepDemand {
        ready = List.copyOf(ready);
    }
}
