package dev.reprise.orchestrator.domain.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Search methods a sweep may use. Eager methods know every trial at submission (trial i is a function of the spec and
 * i); adaptive ones suggest trial by trial from the finished ones. Each is carried out by a
 * {@code domain.search.SearchStrategy}; this enum holds only what the spec rules need to know about it.
 */
public enum Method {
    GRID(false, true, Integer.MAX_VALUE),
    RANDOM(false, false, Integer.MAX_VALUE),
    /** Quasi-random: a scrambled Sobol sequence, one dimension per parameter. */
    SOBOL(false, false, 21),
    BAYES(true, false, Integer.MAX_VALUE);

    private final boolean adaptive;
    private final boolean enumerable;
    private final int maxParameters;

    Method(boolean adaptive, boolean enumerable, int maxParameters) {
        this.adaptive = adaptive;
        this.enumerable = enumerable;
        this.maxParameters = maxParameters;
    }

    /** How many parameters the method can search (the dimensions it has). */
    public int maxParameters() {
        return maxParameters;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Suggests trials one by one from the finished ones: needs a metric, may be warm-started, plans nothing up front. */
    public boolean adaptive() {
        return adaptive;
    }

    /** Walks a finite space of discrete values: max_trials defaults to (and may not exceed) its size. */
    public boolean enumerable() {
        return enumerable;
    }

    public static Optional<Method> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName().equals(name)).findFirst();
    }

    /** "grid, random, sobol or bayes": the names a sweep may give, for messages. */
    public static String wireNames() {
        List<String> names = Arrays.stream(values()).map(Method::wireName).toList();
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /** Wire names of the adaptive methods, as stored in {@code sweeps.method}. */
    public static List<String> adaptiveWireNames() {
        return Arrays.stream(values()).filter(Method::adaptive).map(Method::wireName).toList();
    }
}
