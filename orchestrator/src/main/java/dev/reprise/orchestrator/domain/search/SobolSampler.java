package dev.reprise.orchestrator.domain.search;

import dev.reprise.orchestrator.domain.random.SplitMix64;
import dev.reprise.orchestrator.domain.spec.ParameterSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Quasi-random search: trial {@code index} is point {@code index} of a Sobol sequence (one dimension per parameter, in
 * declaration order), mapped through each parameter's distribution. The points fill the space more evenly than
 * pseudo-random draws, which matters most for small budgets. The sequence is scrambled by a random digital shift
 * drawn from the sweep seed (it keeps the even spread); trial i depends on the seed and i alone, so the same seed gives
 * the same trials and raising max_trials keeps the earlier ones.
 *
 * <p>Direction numbers: Joe and Kuo's {@code new-joe-kuo-6.21201} for dimensions 2 to {@value #MAX_DIMENSIONS}
 * (dimension 1 is van der Corput's sequence).
 */
public final class SobolSampler {

    public static final int MAX_DIMENSIONS = 21; // Method.SOBOL.maxParameters()
    private static final int BITS = 32;

    /** Per dimension from the second: degree s, coefficients a, initial direction numbers m_1..m_s. */
    private static final int[][] PRIMITIVES = {
        {1, 0, 1}, {2, 1, 1, 3}, {3, 1, 1, 3, 1}, {3, 2, 1, 1, 1}, {4, 1, 1, 1, 3, 3}, {4, 4, 1, 3, 5, 13},
        {5, 2, 1, 1, 5, 5, 17}, {5, 4, 1, 1, 5, 5, 5}, {5, 7, 1, 1, 7, 11, 19}, {5, 11, 1, 1, 5, 1, 1},
        {5, 13, 1, 1, 1, 3, 11}, {5, 14, 1, 3, 5, 5, 31}, {6, 1, 1, 3, 3, 9, 7, 49}, {6, 13, 1, 1, 1, 15, 21, 21},
        {6, 16, 1, 3, 1, 13, 27, 49}, {6, 19, 1, 1, 1, 15, 7, 5}, {6, 22, 1, 3, 1, 15, 13, 25},
        {6, 25, 1, 1, 5, 5, 19, 61}, {7, 1, 1, 3, 7, 11, 23, 15, 103}, {7, 4, 1, 3, 7, 13, 13, 15, 69},
    };

    /** DIRECTIONS[d][k]: direction number k of dimension d, as a 32-bit binary fraction. */
    private static final int[][] DIRECTIONS = directions();

    private SobolSampler() {
    }

    public static Map<String, Object> point(Map<String, ParameterSpec> parameters, long seed, long index) {
        if (parameters.size() > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("sobol search supports at most " + MAX_DIMENSIONS + " parameters");
        }
        SplitMix64 shifts = new SplitMix64(seed);
        Map<String, Object> point = new LinkedHashMap<>();
        int d = 0;
        for (Map.Entry<String, ParameterSpec> e : parameters.entrySet()) {
            int shift = (int) shifts.nextLong();
            point.put(e.getKey(), e.getValue().fromUnit(coordinate(d++, index, shift)));
        }
        return point;
    }

    /** Coordinate {@code dimension} of point {@code index} (unscrambled when {@code shift} is 0), in [0, 1). */
    static double coordinate(int dimension, long index, int shift) {
        if (index < 0 || index >= 1L << BITS) {
            throw new IllegalArgumentException("index out of range: " + index);
        }
        long gray = index ^ (index >>> 1);
        int x = shift;
        for (int k = 0; gray != 0; k++, gray >>>= 1) {
            if ((gray & 1) != 0) {
                x ^= DIRECTIONS[dimension][k];
            }
        }
        return Integer.toUnsignedLong(x) * 0x1.0p-32;
    }

    private static int[][] directions() {
        int[][] v = new int[MAX_DIMENSIONS][BITS];
        for (int k = 0; k < BITS; k++) {
            v[0][k] = 1 << (BITS - 1 - k);
        }
        for (int d = 1; d < MAX_DIMENSIONS; d++) {
            int[] p = PRIMITIVES[d - 1];
            int s = p[0];
            int a = p[1];
            for (int k = 0; k < s; k++) {
                v[d][k] = p[2 + k] << (BITS - 1 - k);
            }
            for (int k = s; k < BITS; k++) {
                int next = v[d][k - s] ^ (v[d][k - s] >>> s);
                for (int j = 1; j < s; j++) {
                    next ^= ((a >>> (s - 1 - j)) & 1) * v[d][k - j];
                }
                v[d][k] = next;
            }
        }
        return v;
    }
}
