package dev.reprise.api.messages;

import java.util.List;
import java.util.Objects;

/**
 * A batch of metric points of one run attempt: the value type of {@link Topics#METRICS}.
 *
 * @param runId    the run
 * @param attempt  the run's attempt number (a retried run gets a new attempt)
 * @param agentId  the agent instance that produced the batch (host name plus a random suffix)
 * @param batchSeq the agent's batch counter within (run, attempt), starting at 0; for diagnostics only, identity is
 *                 carried by each point
 * @param points   the points, never empty when sent by the agent
 */
public record MetricBatch(long runId, int attempt, String agentId, long batchSeq, List<MetricPoint> points) {

    public MetricBatch {
        Objects.requireNonNull(agentId, "agentId");
        points = List.copyOf(points);
    }
}
