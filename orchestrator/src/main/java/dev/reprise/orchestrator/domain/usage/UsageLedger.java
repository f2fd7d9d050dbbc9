package dev.reprise.orchestrator.domain.usage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums attempt charges by one key. Every line carries the total of all its attempts and, apart, the part that went to
 * preempted attempts and the part that went to failed ones (both included in the total). Lines are ordered by
 * GPU-seconds, largest first, then by key. Pure.
 */
public final class UsageLedger {

    private UsageLedger() {
    }

    /** One group's sums. */
    public record Line(String key, UsageTotals total, UsageTotals preempted, UsageTotals failed) {
    }

    public static List<Line> sum(Collection<AttemptCharge> charges, UsageGroup groupBy) {
        Map<String, UsageTotals[]> acc = new LinkedHashMap<>();
        for (AttemptCharge c : charges) {
            UsageTotals[] t = acc.computeIfAbsent(c.keys().get(groupBy),
                    k -> new UsageTotals[] {UsageTotals.ZERO, UsageTotals.ZERO, UsageTotals.ZERO});
            t[0] = t[0].plus(c.totals());
            if (c.outcome() == Accounting.Outcome.PREEMPTED) {
                t[1] = t[1].plus(c.totals());
            } else if (c.outcome() == Accounting.Outcome.FAILED) {
                t[2] = t[2].plus(c.totals());
            }
        }
        List<Line> lines = new ArrayList<>();
        acc.forEach((k, t) -> lines.add(new Line(k, t[0], t[1], t[2])));
        lines.sort(Comparator.comparingDouble((Line l) -> -l.total().gpuSeconds())
                .thenComparing(l -> String.valueOf(l.key())));
        return lines;
    }

    /** The sum of every charge. */
    public static UsageTotals total(Collection<AttemptCharge> charges) {
        return charges.stream().map(AttemptCharge::totals).reduce(UsageTotals.ZERO, UsageTotals::plus);
    }
}
