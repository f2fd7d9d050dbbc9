package dev.reprise.orchestrator.domain.usage;

import java.util.Map;

/**
 * What one attempt costs, with the keys it is summed by ({@link UsageGroup} → value, e.g. PROJECT → "vision").
 */
public record AttemptCharge(Map<UsageGroup, String> keys, Accounting.Outcome outcome, UsageTotals totals) {

    public AttemptCharge {
        keys = Map.copyOf(keys);
    }
}
