package dev.reprise.orchestrator.domain.usage;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What usage is summed by ({@code groupBy}). */
public enum UsageGroup {
    RUN, SWEEP, PROJECT, QUEUE, USER;

    /** The wire name: lower case. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<UsageGroup> fromWireName(String name) {
        return Arrays.stream(values()).filter(g -> g.wireName().equals(name)).findFirst();
    }

    /** The wire names, for error messages. */
    public static String wireNames() {
        return String.join(", ", Arrays.stream(values()).map(UsageGroup::wireName).toList());
    }
}
