package dev.reprise.cli.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Text views of a run's metrics: the key table with its notes, and one key's series. */
public final class MetricViews {

    private MetricViews() {
    }

    /** One row per key (count, last step and value, min, max), then the agent's heartbeat and refused input. */
    public static String keys(JsonNode metrics, TableRenderer tables) {
        List<String> lines = new ArrayList<>();
        JsonNode keys = metrics.path("keys");
        if (keys.isEmpty()) {
            lines.add("No metrics reported for run " + metrics.path("runId").asText() + " yet.");
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode k : keys) {
                rows.add(List.of(k.path("key").asText(), Cells.json(k.get("points")), Cells.json(k.get("lastStep")),
                        Cells.json(k.get("last")), Cells.json(k.get("min")), Cells.json(k.get("max"))));
            }
            lines.add(tables.render(List.of("KEY", "POINTS", "LAST STEP", "LAST", "MIN", "MAX"), rows));
        }
        JsonNode newest = metrics.path("attempts").path(0);
        if (!newest.isMissingNode()) {
            lines.add("Attempt " + newest.path("attempt").asText() + ": last heartbeat "
                    + Cells.timestamp(text(newest.get("lastHeartbeatAt")))
                    + (newest.hasNonNull("stopReason") ? ", ended " + newest.path("stopReason").asText() + " (exit "
                    + Cells.json(newest.get("exitCode")) + ")" : ""));
        }
        for (JsonNode w : metrics.path("warnings")) {
            lines.add("Refused by the " + w.path("source").asText() + ": " + w.path("count").asText() + " x "
                    + w.path("reason").asText() + (w.hasNonNull("example") ? " (e.g. " + w.path("example").asText()
                    + ")" : ""));
        }
        return String.join("\n", lines);
    }

    /** STEP and VALUE columns, then how many of how many points they are. */
    public static String series(JsonNode series, TableRenderer tables) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode p : series.path("points")) {
            rows.add(List.of(Cells.json(p.get("step")), Cells.json(p.get("value"))));
        }
        long shown = rows.size();
        long total = series.path("total").asLong();
        String note = series.path("downsampled").asBoolean()
                ? shown + " of " + total + " points (lowest and highest of each step bucket)"
                : total + (total == 1 ? " point" : " points");
        note += ", attempt " + series.path("attempt").asText();
        return rows.isEmpty() ? "No points in range (attempt " + series.path("attempt").asText() + ")."
                : tables.render(List.of("STEP", "VALUE"), rows) + "\n" + note;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
