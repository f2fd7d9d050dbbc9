package dev.reprise.orchestrator.domain.search.tpe;

import dev.reprise.orchestrator.domain.random.SplitMix64;
import java.util.List;

/** Frequencies of the observed choices, smoothed by a uniform prior of total weight 1. */
final class CategoricalEstimator {

    private final double[] probabilities;

    CategoricalEstimator(List<Integer> observedChoices, int choices) {
        probabilities = new double[choices];
        for (int i = 0; i < choices; i++) {
            probabilities[i] = 1.0 / choices;
        }
        for (int c : observedChoices) {
            probabilities[c] += 1.0;
        }
        double total = 1.0 + observedChoices.size();
        for (int i = 0; i < choices; i++) {
            probabilities[i] /= total;
        }
    }

    int sample(SplitMix64 rng) {
        double u = rng.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < probabilities.length; i++) {
            cumulative += probabilities[i];
            if (u < cumulative) {
                return i;
            }
        }
        return probabilities.length - 1;
    }

    double logProbability(int choice) {
        return StrictMath.log(probabilities[choice]);
    }
}
