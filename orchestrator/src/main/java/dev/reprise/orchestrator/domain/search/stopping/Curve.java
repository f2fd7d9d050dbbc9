package dev.reprise.orchestrator.domain.search.stopping;

import dev.reprise.orchestrator.domain.spec.Goal;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One trial's objective metric by step. When a step was reported twice the later value counts.
 *
 * @param completed whether the trial has finished (completed trials are the median rule's reference)
 */
public record Curve(int trial, NavigableMap<Long, Double> points, boolean completed) {

    public Curve {
        points = new TreeMap<>(points);
    }

    public static Curve of(int trial, boolean completed, Map<Long, Double> points) {
        return new Curve(trial, new TreeMap<>(points), completed);
    }

    public long lastStep() {
        return points.isEmpty() ? -1 : points.lastKey();
    }

    /** The value reported at the last step not after {@code step}, or null. */
    public Double valueAt(long step) {
        Map.Entry<Long, Double> e = points.floorEntry(step);
        return e == null ? null : e.getValue();
    }

    /** The best value reported up to {@code step}, in the goal's direction, or null. */
    public Double bestUpTo(long step, Goal goal) {
        Double best = null;
        for (double v : points.headMap(step, true).values()) {
            if (Double.isFinite(v) && (best == null || better(v, best, goal))) {
                best = v;
            }
        }
        return best;
    }

    /** The mean of the values reported up to {@code step}, or null. */
    public Double meanUpTo(long step) {
        double sum = 0;
        int n = 0;
        for (double v : points.headMap(step, true).values()) {
            if (Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? null : sum / n;
    }

    static boolean better(double a, double b, Goal goal) {
        return goal == Goal.MAXIMIZE ? a > b : a < b;
    }
}
