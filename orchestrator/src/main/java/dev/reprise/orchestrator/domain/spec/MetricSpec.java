package dev.reprise.orchestrator.domain.spec;

/** The objective: which reported metric to optimise, in which direction, optionally until a target is reached. */
public record MetricSpec(String name, Goal goal, Double target) {
}
