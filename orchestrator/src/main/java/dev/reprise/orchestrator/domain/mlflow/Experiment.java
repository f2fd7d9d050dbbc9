package dev.reprise.orchestrator.domain.mlflow;

import java.time.Instant;
import java.util.Map;

/** An MLflow experiment: a sweep with its project (docs/adr/0007-mlflow-mapping.md). */
public record Experiment(long id, String name, String project, String method, String lifecycleStage,
        Instant createdAt, Instant updatedAt, Map<String, String> tags) {
}
