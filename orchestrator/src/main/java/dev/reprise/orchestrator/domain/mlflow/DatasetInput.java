package dev.reprise.orchestrator.domain.mlflow;

/** A dataset input of a run (MLflow's log-inputs). */
public record DatasetInput(String name, String digest, String sourceType, String source, String schema,
        String profile, String tagsJson) {
}
