package dev.reprise.orchestrator.domain.search.stopping;

import dev.reprise.orchestrator.domain.spec.Goal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Asynchronous successive halving (Li et al., 2020), W&B's {@code hyperband} early termination. Rungs lie at
 * {@code minResource * eta^k} steps, up to {@code maxResource}. When a trial reaches a rung, its value there is
 * compared with the values every other trial had at that rung; it continues only if it is within the best
 * {@code 1/eta} of them (the cut-off is the (1 - 1/eta) quantile in the goal's direction). The first trial to
 * reach a rung always continues. A trial that has reached {@code maxResource} continues whatever it did at earlier
 * rungs: it has nothing left to save.
 */
public record AshaRule(long minResource, long maxResource, double eta, Goal goal) implements StoppingRule {

    public AshaRule {
        if (minResource < 1 || maxResource < minResource || eta <= 1) {
            throw new IllegalArgumentException("need 1 <= min_resource <= max_resource and eta > 1");
        }
    }

    /** The rung steps, ascending. */
    public List<Long> rungs() {
        List<Long> rungs = new ArrayList<>();
        for (double r = minResource; r <= maxResource; r *= eta) {
            rungs.add((long) Math.floor(r + 1e-9));
        }
        return rungs;
    }

    @Override
    public Decision decide(Curve trial, List<Curve> others) {
        long last = trial.lastStep();
        if (last >= maxResource) {
            // it has trained to the end: stopping it now would save nothing and call a finished trial stopped early
            // (a stopper that sees the trial late, on a loaded machine, would otherwise decide at an earlier rung)
            return Decision.CONTINUE;
        }
        Long rung = null;
        for (long r : rungs()) {
            if (r <= last) {
                rung = r;
            }
        }
        if (rung == null || rung >= maxResource) {
            return Decision.CONTINUE;
        }
        Double mine = trial.valueAt(rung);
        if (mine == null || !Double.isFinite(mine)) {
            return Decision.stop("no finite value at rung " + rung,
                    new Explanation("hyperband", rung, null, null, 0, 0, goal));
        }
        final long r = rung;
        double[] recorded = others.stream().filter(c -> c.lastStep() >= r).map(c -> c.valueAt(r))
                .filter(v -> v != null && Double.isFinite(v)).mapToDouble(Double::doubleValue).toArray();
        if (recorded.length == 0) {
            return Decision.CONTINUE;
        }
        double cutoff = quantile(recorded, goal == Goal.MAXIMIZE ? 1 - 1 / eta : 1 / eta);
        boolean worse = goal == Goal.MAXIMIZE ? mine < cutoff : mine > cutoff;
        if (!worse) {
            return Decision.CONTINUE;
        }
        int rank = 1 + (int) Arrays.stream(recorded).filter(v -> goal == Goal.MAXIMIZE ? v > mine : v < mine).count();
        return Decision.stop(String.format(java.util.Locale.ROOT,
                "hyperband: %.6g at rung %d is outside the best 1/%s of %d trials (cut-off %.6g; rank %d of %d)",
                mine, r, trimmed(eta), recorded.length, cutoff, rank, recorded.length + 1),
                new Explanation("hyperband", r, mine, cutoff, rank, recorded.length + 1, goal));
    }

    /** Linear-interpolation quantile (numpy's default). */
    static double quantile(double[] values, double q) {
        double[] v = values.clone();
        Arrays.sort(v);
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return v[lo] + (v[hi] - v[lo]) * (pos - lo);
    }

    private static String trimmed(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
