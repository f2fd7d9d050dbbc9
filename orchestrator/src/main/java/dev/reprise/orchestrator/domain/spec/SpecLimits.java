package dev.reprise.orchestrator.domain.spec;

/**
 * Limits a sweep must respect. {@code maxTrialsCap} is the hard cap on trials of one sweep, whatever the spec says;
 * {@code maxNodes} the most nodes one distributed trial may span ({@code resources.nodes}).
 */
public record SpecLimits(int maxTrialsCap, int maxParameters, int maxCategoricalValues, int maxNodes) {

    /** The default for {@code reprise.sweeps.max-nodes}. */
    public static final int DEFAULT_MAX_NODES = 64;

    public static final SpecLimits DEFAULTS = new SpecLimits(10_000, 100, 10_000, DEFAULT_MAX_NODES);

    public SpecLimits(int maxTrialsCap, int maxParameters, int maxCategoricalValues) {
        this(maxTrialsCap, maxParameters, maxCategoricalValues, DEFAULT_MAX_NODES);
    }
}
