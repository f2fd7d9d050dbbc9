package dev.reprise.orchestrator.domain.search.stopping;

import dev.reprise.orchestrator.domain.spec.Goal;
import java.util.Arrays;
import java.util.List;

/**
 * Median stopping (Golovin et al., 2017, as in Katib): after a grace period of {@code minStep} steps, and once at
 * least {@code minCompleted} trials have completed, a trial stops when its best value so far is worse than the
 * median of the completed trials' running averages up to the same step.
 */
public record MedianRule(long minStep, int minCompleted, Goal goal) implements StoppingRule {

    @Override
    public Decision decide(Curve trial, List<Curve> others) {
        long step = trial.lastStep();
        if (step < minStep) {
            return Decision.CONTINUE;
        }
        double[] averages = others.stream().filter(Curve::completed).map(c -> c.meanUpTo(step))
                .filter(v -> v != null).mapToDouble(Double::doubleValue).toArray();
        if (averages.length < minCompleted || averages.length == 0) {
            return Decision.CONTINUE;
        }
        Arrays.sort(averages);
        int n = averages.length;
        double median = n % 2 == 1 ? averages[n / 2] : (averages[n / 2 - 1] + averages[n / 2]) / 2;
        Double best = trial.bestUpTo(step, goal);
        if (best == null) {
            return Decision.CONTINUE;
        }
        boolean worse = goal == Goal.MAXIMIZE ? best < median : best > median;
        if (!worse) {
            return Decision.CONTINUE;
        }
        double mine = best;
        int rank = 1 + (int) Arrays.stream(averages).filter(v -> goal == Goal.MAXIMIZE ? v > mine : v < mine).count();
        return Decision.stop(String.format(java.util.Locale.ROOT,
                "median: best %.6g by step %d is worse than the median %.6g of %d completed trials (rank %d of %d)",
                best, step, median, n, rank, n + 1), new Explanation("median", step, best, median, rank, n + 1, goal));
    }
}
