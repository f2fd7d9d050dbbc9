package dev.reprise.orchestrator.domain.mlflow;

import java.util.List;
import java.util.Map;

/** Params, tags, latest metrics and dataset inputs of a run. */
public record RunData(Map<String, String> params, Map<String, String> tags, List<LatestMetric> metrics,
        List<DatasetInput> inputs) {

    /** The newest point of a key, as MLflow's run data shows it. */
    public record LatestMetric(String key, double value, long timestampMillis, long step) {
    }
}
