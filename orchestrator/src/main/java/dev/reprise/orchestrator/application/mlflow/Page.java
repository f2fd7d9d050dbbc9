package dev.reprise.orchestrator.application.mlflow;

import java.util.List;

/** One page and the token of the next (null at the end). */
public record Page<T>(List<T> items, String nextPageToken) {
}
