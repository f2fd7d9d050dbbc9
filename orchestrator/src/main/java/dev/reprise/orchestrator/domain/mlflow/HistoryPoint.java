package dev.reprise.orchestrator.domain.mlflow;

/** One point of a metric's history. */
public record HistoryPoint(double value, long timestampMillis, long step) {
}
