package dev.reprise.orchestrator.application.mlflow;

import dev.reprise.orchestrator.domain.mlflow.RunData;
import dev.reprise.orchestrator.domain.mlflow.TrackedRun;

/** A run with its data. */
public record FullRun(TrackedRun info, RunData data) {
}
