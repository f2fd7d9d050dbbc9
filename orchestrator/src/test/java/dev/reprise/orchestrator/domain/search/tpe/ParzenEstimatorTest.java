package dev.reprise.orchestrator.domain.search.tpe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.domain.random.SplitMix64;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ParzenEstimatorTest {

    /** The density with one kernel per observation, as the estimator computes it below its bucketing threshold. */
    private static double exactLogDensity(double[] observations, double low, double high, double x) {
        double range = high - low;
        int n = observations.length;
        double[] sorted = observations.clone();
        Arrays.sort(sorted);
        double minSigma = range / Math.min(100.0, n + 1.0);
        double density = 0;
        for (int i = 0; i <= n; i++) {
            double mu;
            double sigma;
            if (i < n) {
                double left = i == 0 ? sorted[i] - low : sorted[i] - sorted[i - 1];
                double right = i == n - 1 ? high - sorted[i] : sorted[i + 1] - sorted[i];
                mu = sorted[i];
                sigma = Math.min(range, Math.max(minSigma, Math.max(left, right)));
            } else {
                mu = (low + high) / 2;
                sigma = range;
            }
            double mass = ParzenEstimator.normalCdf((high - mu) / sigma) - ParzenEstimator.normalCdf((low - mu) / sigma);
            double z = (x - mu) / sigma;
            density += Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI)) / mass / (n + 1);
        }
        return Math.log(density);
    }

    @Test
    void bucketedDensityOfTenThousandObservationsStaysWithinAFewPercentOfTheExactOne() {
        SplitMix64 rng = new SplitMix64(17);
        double[] observations = new double[10_000];
        for (int i = 0; i < observations.length; i++) {
            // a lumpy distribution: two clusters and a uniform background
            double u = rng.nextDouble();
            observations[i] = u < 0.4 ? Math.max(-5, Math.min(5, -2 + 0.3 * rng.nextGaussian()))
                    : u < 0.7 ? Math.max(-5, Math.min(5, 3 + 0.1 * rng.nextGaussian())) : -5 + 10 * rng.nextDouble();
        }
        assertThat(observations.length).isGreaterThan(ParzenEstimator.MAX_KERNELS);
        ParzenEstimator bucketed = new ParzenEstimator(observations, -5, 5);
        double worst = 0;
        for (int i = 0; i <= 400; i++) {
            double x = -5 + 10.0 * i / 400;
            worst = Math.max(worst, Math.abs(bucketed.logDensity(x) - exactLogDensity(observations, -5, 5, x)));
        }
        assertThat(worst).as("largest |log density difference|").isLessThan(0.03);
    }

    @Test
    void keepsOneKernelPerObservationUpToTheThreshold() {
        SplitMix64 rng = new SplitMix64(3);
        double[] observations = new double[ParzenEstimator.MAX_KERNELS];
        for (int i = 0; i < observations.length; i++) {
            observations[i] = rng.nextDouble();
        }
        ParzenEstimator estimator = new ParzenEstimator(observations, 0, 1);
        for (double x : new double[] {0.0, 0.13, 0.5, 0.77, 1.0}) {
            assertThat(estimator.logDensity(x)).isCloseTo(exactLogDensity(observations, 0, 1, x),
                    org.assertj.core.data.Offset.offset(1e-9));
        }
    }
}
