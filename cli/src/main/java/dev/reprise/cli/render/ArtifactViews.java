package dev.reprise.cli.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The text view of a run's artifacts ({@code reprise artifacts RUN}). */
public final class ArtifactViews {

    private static final List<String> HEADERS = List.of("PATH", "SIZE", "SHA256");
    private static final List<String> LOG_HEADERS = List.of("ATTEMPT", "LINES", "SIZE", "ARCHIVED");
    private static final TableRenderer TABLE = new TableRenderer(72);

    private ArtifactViews() {
    }

    public static String listing(JsonNode l) {
        StringBuilder s = new StringBuilder();
        if (!l.path("attempt").isNumber()) {
            s.append("Run ").append(l.path("runId").asText()).append(" has no artifacts.");
        } else {
            s.append("Run ").append(l.path("runId").asText()).append(" attempt ").append(l.path("attempt").asText())
                    .append(": ").append(l.path("fileCount").asText()).append(" file(s), ")
                    .append(SnapshotViews.size(l.path("totalBytes").asLong())).append(", manifest ")
                    .append(l.path("manifestId").asText());
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode f : l.path("files")) {
                rows.add(List.of(f.path("path").asText(), SnapshotViews.size(f.path("size").asLong()),
                        f.path("sha256").asText().substring(0, Math.min(12, f.path("sha256").asText().length()))));
            }
            if (!rows.isEmpty()) {
                s.append("\n").append(TABLE.render(HEADERS, rows));
            }
        }
        List<List<String>> logs = new ArrayList<>();
        for (JsonNode g : l.path("logs")) {
            logs.add(List.of(g.path("attempt").asText(), g.path("lines").asText(),
                    SnapshotViews.size(g.path("bytes").asLong()), Cells.timestamp(g.path("archivedAt").asText(null))));
        }
        if (!logs.isEmpty()) {
            s.append("\n\nArchived logs (GET /api/v1/runs/").append(l.path("runId").asText())
                    .append("/logs/archive?attempt=N):\n").append(TABLE.render(LOG_HEADERS, logs));
        }
        return s.toString();
    }
}
