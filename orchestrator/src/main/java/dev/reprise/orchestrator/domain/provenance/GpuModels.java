package dev.reprise.orchestrator.domain.provenance;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The GPU model of a run as one line, from the product names the agent's telemetry reports per device. */
public final class GpuModels {

    private GpuModels() {
    }

    /**
     * {@code ["NVIDIA H100", "NVIDIA H100"]} gives {@code "2 x NVIDIA H100"}; mixed devices are listed by name
     * ({@code "1 x A, 1 x B"}); unnamed devices count as "unknown GPU"; no devices gives null.
     */
    public static String describe(List<String> names) {
        if (names == null || names.isEmpty()) {
            return null;
        }
        Map<String, Long> counts = new TreeMap<>(names.stream()
                .map(n -> n == null || n.isBlank() ? "unknown GPU" : n.strip())
                .collect(Collectors.groupingBy(n -> n, Collectors.counting())));
        if (counts.size() == 1 && names.size() == 1) {
            return Objects.requireNonNull(counts.keySet().iterator().next());
        }
        return counts.entrySet().stream().map(e -> e.getValue() + " x " + e.getKey())
                .collect(Collectors.joining(", "));
    }
}
