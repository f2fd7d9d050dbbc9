package dev.reprise.cli.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The text view of a run comparison ({@code reprise compare A B}). */
public final class CompareViews {

    private static final List<String> FIELD_HEADERS = List.of("FIELD", "A", "B");
    private static final List<String> METRIC_HEADERS = List.of("METRIC", "STEPS A/B/COMMON", "MAX ABS", "MAX REL",
            "AT STEP", "FINAL A", "FINAL B", "DELTA", "OK");
    private static final TableRenderer TABLE = new TableRenderer(72);

    private CompareViews() {
    }

    public static String detail(JsonNode c) {
        StringBuilder s = new StringBuilder();
        s.append("Run ").append(c.path("a").asText()).append(" vs run ").append(c.path("b").asText()).append(": ")
                .append(c.path("verdict").asText().toUpperCase(java.util.Locale.ROOT)).append(" (rtol ")
                .append(c.path("tolerance").path("rtol").asText()).append(", atol ")
                .append(c.path("tolerance").path("atol").asText()).append(")\n");
        s.append(c.path("summary").asText());
        List<List<String>> fields = new ArrayList<>();
        for (String group : List.of("provenance", "parameters", "outcome")) {
            for (JsonNode d : c.path(group)) {
                fields.add(List.of(d.path("field").asText(), cell(d.path("a")), cell(d.path("b"))));
            }
        }
        if (!fields.isEmpty()) {
            s.append("\n\nDifferences:\n").append(TABLE.render(FIELD_HEADERS, fields));
        }
        List<List<String>> metrics = new ArrayList<>();
        for (JsonNode m : c.path("metrics")) {
            metrics.add(List.of(m.path("key").asText(), m.path("stepsA").asText() + "/" + m.path("stepsB").asText()
                    + "/" + m.path("commonSteps").asText(), cell(m.path("maxAbsDiff")), cell(m.path("maxRelDiff")),
                    cell(m.path("maxDiffStep")), cell(m.path("finalA")), cell(m.path("finalB")),
                    cell(m.path("finalDelta")), m.path("withinTolerance").asBoolean() ? "yes" : "NO"));
        }
        if (!metrics.isEmpty()) {
            s.append("\n\nMetrics:\n").append(TABLE.render(METRIC_HEADERS, metrics));
        }
        return s.toString();
    }

    private static String cell(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return Cells.NONE;
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }
}
