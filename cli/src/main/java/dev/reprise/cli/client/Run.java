package dev.reprise.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One trial of a sweep. Parameter values stay JSON so numbers print exactly as the server sent them; the nested
 * {@code provenance} object and fields added later stay in the raw JSON.
 */
public record Run(
        Long id,
        Long sweepId,
        Integer index,
        String state,
        Integer attempt,
        Map<String, JsonNode> parameters,
        String createdAt,
        String startedAt,
        String finishedAt,
        Integer exitCode,
        String stopReason,
        String failureCause,
        String message) {

    public Run {
        parameters = parameters == null ? Map.of() : parameters;
    }
}
