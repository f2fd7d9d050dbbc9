package dev.reprise.agent.metrics;

/** A metric name and value found in one line, before validation and step assignment. */
public record ParsedMetric(String key, double value) {
}
