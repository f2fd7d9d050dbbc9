package dev.reprise.orchestrator.domain.search.tpe;

import dev.reprise.orchestrator.domain.random.SplitMix64;
import java.util.Arrays;

/**
 * A one-dimensional Parzen estimator on a bounded interval [low, high]: a mixture of Gaussians centred on the
 * observations, truncated to the interval, plus a uniform prior component, as in Bergstra et al. (2011) and
 * Optuna's TPE. Bandwidths follow the neighbour-distance rule, clipped to [range / min(100, n + 1), range].
 *
 * <p>With more than {@link #MAX_KERNELS} observations, observations are first binned into {@code MAX_KERNELS}
 * equal-width buckets of the interval, and each non-empty bucket becomes one kernel at the mean of its observations,
 * weighted by their number (the standard binned kernel density estimate). A bucket is at most range / 1000 wide while
 * no bandwidth is below range / 100, so the density moves by a small fraction of a kernel's width; it keeps a
 * suggestion's cost bounded (24 candidates × 1,000 kernels per parameter) however long the history grows.
 */
final class ParzenEstimator {

    private static final double PRIOR_WEIGHT = 1.0;
    static final int MAX_KERNELS = 1000;

    private final double low;
    private final double high;
    private final double[] mus;
    private final double[] sigmas;
    private final double[] weights;
    /** Per kernel: weight / (sigma * sqrt(2 pi) * its mass inside [low, high]), so a density is one exp per kernel. */
    private final double[] scales;

    ParzenEstimator(double[] observations, double low, double high) {
        this.low = low;
        this.high = high;
        double range = high - low;
        double minSigma = range / Math.min(100.0, observations.length + 1.0);
        double[] centres;
        double[] counts;
        if (observations.length > MAX_KERNELS) {
            double[] sums = new double[MAX_KERNELS];
            double[] binCounts = new double[MAX_KERNELS];
            for (double x : observations) {
                int b = (int) Math.min(MAX_KERNELS - 1, Math.max(0, Math.floor((x - low) / range * MAX_KERNELS)));
                sums[b] += x;
                binCounts[b]++;
            }
            int used = 0;
            for (double c : binCounts) {
                used += c > 0 ? 1 : 0;
            }
            centres = new double[used];
            counts = new double[used];
            for (int b = 0, k = 0; b < MAX_KERNELS; b++) {
                if (binCounts[b] > 0) {
                    centres[k] = sums[b] / binCounts[b];
                    counts[k++] = binCounts[b];
                }
            }
        } else {
            centres = observations.clone();
            Arrays.sort(centres);
            counts = new double[centres.length];
            Arrays.fill(counts, 1.0);
        }
        int n = centres.length;
        double[] sorted = centres;
        mus = new double[n + 1];
        sigmas = new double[n + 1];
        weights = new double[n + 1];
        for (int i = 0; i < n; i++) {
            double left = i == 0 ? sorted[i] - low : sorted[i] - sorted[i - 1];
            double right = i == n - 1 ? high - sorted[i] : sorted[i + 1] - sorted[i];
            mus[i] = sorted[i];
            sigmas[i] = Math.min(range, Math.max(minSigma, Math.max(left, right)));
            weights[i] = counts[i];
        }
        mus[n] = (low + high) / 2;
        sigmas[n] = range;
        weights[n] = PRIOR_WEIGHT;
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        scales = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            weights[i] /= total;
            double mass = normalCdf((high - mus[i]) / sigmas[i]) - normalCdf((low - mus[i]) / sigmas[i]);
            scales[i] = weights[i] / (sigmas[i] * Math.sqrt(2 * Math.PI)) / Math.max(mass, 1e-12);
        }
    }

    double sample(SplitMix64 rng) {
        double u = rng.nextDouble();
        int k = weights.length - 1;
        double cumulative = 0;
        for (int i = 0; i < weights.length; i++) {
            cumulative += weights[i];
            if (u < cumulative) {
                k = i;
                break;
            }
        }
        for (int attempt = 0; attempt < 64; attempt++) {
            double x = mus[k] + sigmas[k] * rng.nextGaussian();
            if (x >= low && x <= high) {
                return x;
            }
        }
        return Math.min(high, Math.max(low, mus[k]));
    }

    double logDensity(double x) {
        double density = 0;
        for (int i = 0; i < mus.length; i++) {
            double z = (x - mus[i]) / sigmas[i];
            density += scales[i] * StrictMath.exp(-0.5 * z * z);
        }
        return StrictMath.log(Math.max(density, 1e-300));
    }

    /** Abramowitz and Stegun 7.1.26 via erf; accurate to about 1e-7, enough to weight kernels. */
    static double normalCdf(double z) {
        double t = 1.0 / (1.0 + 0.3275911 * Math.abs(z) / Math.sqrt(2));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                + 0.254829592) * t * StrictMath.exp(-z * z / 2);
        return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
    }
}
