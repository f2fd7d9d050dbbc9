package dev.reprise.cli.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The usage table: one line per group, then the total; preempted and failed parts of the GPU-hours apart. */
public final class UsageViews {

    private UsageViews() {
    }

    public static String table(JsonNode report, TableRenderer tables) {
        List<String> headers = List.of(report.path("groupBy").asText("key").toUpperCase(Locale.ROOT), "ATTEMPTS",
                "GPU-HOURS", "PREEMPTED", "FAILED", "CPU-HOURS", "ENERGY (kWh)");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode line : report.path("items")) {
            rows.add(row(line.path("key").asText(), line));
        }
        if (rows.isEmpty()) {
            return "No usage in this window.";
        }
        rows.add(row("TOTAL", report));
        return tables.render(headers, rows);
    }

    private static List<String> row(String key, JsonNode line) {
        return List.of(key,
                String.valueOf(line.path("total").path("attempts").asLong()),
                hours(line.path("total").path("gpuSeconds").asDouble()),
                hours(line.path("preempted").path("gpuSeconds").asDouble()),
                hours(line.path("failed").path("gpuSeconds").asDouble()),
                hours(line.path("total").path("cpuSeconds").asDouble()),
                String.format(Locale.ROOT, "%.3f", line.path("total").path("energyWh").asDouble() / 1000));
    }

    private static String hours(double seconds) {
        return String.format(Locale.ROOT, "%.2f", seconds / 3600);
    }
}
