package dev.reprise.cli.client;

import java.util.Map;

/**
 * A sweep as the orchestrator returns it. Fields the CLI does not model (the single-sweep view's {@code spec} and
 * {@code specText}, anything added later) are ignored here and stay in the raw JSON.
 */
public record Sweep(
        Long id,
        String name,
        String project,
        String status,
        Boolean paused,
        String method,
        Metric metric,
        Integer maxTrials,
        Integer parallelism,
        Integer maxFailedTrials,
        Long seed,
        String queue,
        Integer priority,
        String specHash,
        String createdAt,
        String createdBy,
        String updatedAt,
        String finishedAt,
        Map<String, Long> runCounts,
        BestRun best) {

    /** The run with the best objective value so far (single-sweep view only). */
    public record BestRun(Long runId, Integer index, Double value, Map<String, Object> parameters) {
    }

    public Sweep {
        runCounts = runCounts == null ? Map.of() : runCounts;
    }

    /** The number of runs: {@code runCounts.total} when the server sent it, else {@code maxTrials}. */
    public Long totalRuns() {
        Long total = runCounts.get("total");
        if (total != null) {
            return total;
        }
        return maxTrials == null ? null : maxTrials.longValue();
    }
}
