package dev.reprise.orchestrator.domain.spec;

/**
 * Limits a sweep must respect. {@code maxTrialsCap} is the hard cap on trials of one sweep, whatever the spec says.
 */
public record SpecLimits(int maxTrialsCap, int maxParameters, int maxCategoricalValues) {

    public static final SpecLimits DEFAULTS = new SpecLimits(10_000, 100, 10_000);
}
