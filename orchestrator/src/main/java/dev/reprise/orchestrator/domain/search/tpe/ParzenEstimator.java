package dev.reprise.orchestrator.domain.search.tpe;

import dev.reprise.orchestrator.domain.search.SplitMix64;
import java.util.Arrays;

/**
 * A one-dimensional Parzen estimator on a bounded interval [low, high]: a mixture of Gaussians centred on the
 * observations, truncated to the interval, plus a uniform prior component, as in Bergstra et al. (2011) and
 * Optuna's TPE. Bandwidths follow the neighbour-distance rule, clipped to [range / min(100, n + 1), range].
 */
final class ParzenEstimator {

    private static final double PRIOR_WEIGHT = 1.0;

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
        int n = observations.length;
        double[] sorted = observations.clone();
        Arrays.sort(sorted);
        mus = new double[n + 1];
        sigmas = new double[n + 1];
        weights = new double[n + 1];
        double minSigma = range / Math.min(100.0, n + 1.0);
        for (int i = 0; i < n; i++) {
            double left = i == 0 ? sorted[i] - low : sorted[i] - sorted[i - 1];
            double right = i == n - 1 ? high - sorted[i] : sorted[i + 1] - sorted[i];
            mus[i] = sorted[i];
            sigmas[i] = Math.min(range, Math.max(minSigma, Math.max(left, right)));
            weights[i] = 1.0;
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
