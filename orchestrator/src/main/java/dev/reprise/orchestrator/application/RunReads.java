package dev.reprise.orchestrator.application;

import dev.reprise.orchestrator.persistence.MetricsQuery;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * What the REST resources read about one run's output: its metric summaries, series, warnings and log lines. The
 * one way from {@code api} to {@link MetricsQuery}; callers check access first.
 */
@ApplicationScoped
public class RunReads {

    private final MetricsQuery metrics;

    public RunReads(MetricsQuery metrics) {
        this.metrics = metrics;
    }

    /** Every key of the run with its summary, the agents' reports and refused input. */
    public MetricsQuery.RunMetrics metrics(long runId) {
        return metrics.runMetrics(runId);
    }

    /** One key's points of an attempt (the newest by default), downsampled to at most {@code maxPoints}. */
    public Optional<MetricsQuery.Series> series(long runId, String key, Integer attempt, Long from, Long to,
            int maxPoints) {
        return metrics.series(runId, key, attempt, from, to, maxPoints);
    }

    /** The run's refused input, by source and reason. */
    public List<MetricsQuery.WarningSummary> warnings(long runId) {
        return metrics.warnings(runId);
    }

    /** The parameters the run's code logged (reprise.log_params, MLflow log-param), by name. */
    public java.util.Map<String, String> loggedParams(long runId) {
        return metrics.loggedParams(runId);
    }

    /** A page of an attempt's output lines (of one rank of a distributed trial; 0: the run's own). */
    public MetricsQuery.LogPage logs(long runId, Integer attempt, int rank, Integer stream, Long fromLine, int page,
            int size) {
        return metrics.logs(runId, attempt, rank, stream, fromLine, page, size);
    }

    /** The ranks of a distributed trial's attempt as their agents reported them; empty for an ordinary trial. */
    public java.util.List<MetricsQuery.RankState> ranks(long runId, int attempt) {
        return metrics.ranks(runId, attempt);
    }
}
