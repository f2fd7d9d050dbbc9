package dev.reprise.cli.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.cli.client.Page;
import dev.reprise.cli.client.Run;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Text views of runs: a table with one column per parameter, and the detail view of one run. */
public final class RunViews {

    private RunViews() {
    }

    /** Fixed columns, then one lower-case column per parameter name (in first-seen order), then the outcome. */
    public static String table(Page<Run> page, TableRenderer tables) {
        if (page.items().isEmpty()) {
            return PageFooter.of(page, "runs").orElseThrow();
        }
        Set<String> parameters = new LinkedHashSet<>();
        page.items().forEach(run -> parameters.addAll(run.parameters().keySet()));
        List<String> headers = new ArrayList<>(List.of("INDEX", "ID", "STATE", "ATTEMPT"));
        headers.addAll(parameters);
        headers.addAll(List.of("EXIT", "DURATION", "STOP REASON"));
        List<List<String>> rows = new ArrayList<>();
        for (Run run : page.items()) {
            List<String> row = new ArrayList<>(List.of(
                    Cells.text(run.index()), Cells.text(run.id()), Cells.text(run.state()), Cells.text(run.attempt())));
            parameters.forEach(name -> row.add(Cells.json(run.parameters().get(name))));
            row.addAll(List.of(
                    Cells.text(run.exitCode()),
                    Cells.duration(run.startedAt(), run.finishedAt()),
                    Cells.text(run.stopReason())));
            rows.add(row);
        }
        return tables.render(headers, rows) + PageFooter.of(page, "runs").map(f -> "\n" + f).orElse("");
    }

    /** "hyperband at step 2: 0.1 against the cut-off 0.833 (maximize), rank 4 of 4". */
    static String earlyStop(JsonNode e) {
        String value = e.path("value").isNumber() ? significant(e.path("value").asDouble()) : "no finite value";
        String cutoff = e.path("cutoff").isNumber() ? " against the cut-off " + significant(e.path(
                "cutoff").asDouble()) : "";
        return e.path("rule").asText() + " at step " + e.path("step").asLong() + ": " + value + cutoff + " ("
                + e.path("goal").asText() + "), rank " + e.path("rank").asInt() + " of " + e.path("peers").asInt();
    }

    private static String significant(double d) {
        return new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /**
     * One rank of a distributed trial: "RUNNING on pod-a, last heartbeat 2026-12-07T20:00:00Z" or "EXITED 3
     * (FAILED) on pod-b, last heartbeat …".
     */
    static String rank(JsonNode r) {
        StringBuilder b = new StringBuilder(r.path("state").asText("-"));
        if (r.path("exitCode").isNumber()) {
            b.append(' ').append(r.path("exitCode").asInt());
        }
        if (r.path("stopReason").isTextual()) {
            b.append(" (").append(r.path("stopReason").asText()).append(')');
        }
        if (r.path("hostname").isTextual()) {
            b.append(" on ").append(r.path("hostname").asText());
        }
        b.append(", last heartbeat ").append(r.path("lastHeartbeatAt").isTextual()
                ? Cells.timestamp(r.path("lastHeartbeatAt").asText()) : "none");
        if (r.path("gpuModel").isTextual()) {
            b.append(", ").append(r.path("gpuModel").asText());
        }
        if (r.path("message").isTextual()) {
            b.append(": ").append(r.path("message").asText());
        }
        return b.toString();
    }

    public static String detail(Run run, JsonNode raw) {
        DetailRenderer view = new DetailRenderer()
                .field("ID", Cells.text(run.id()))
                .field("Sweep", Cells.text(run.sweepId()))
                .field("Index", Cells.text(run.index()))
                .field("State", Cells.text(run.state()))
                .field("Attempt", Cells.text(run.attempt()))
                .field("Created", Cells.timestamp(run.createdAt()))
                .field("Started", Cells.timestamp(run.startedAt()))
                .field("Finished", Cells.timestamp(run.finishedAt()))
                .field("Duration", Cells.duration(run.startedAt(), run.finishedAt()))
                .field("Exit code", Cells.text(run.exitCode()))
                .field("Stop reason", Cells.text(run.stopReason()))
                .field("Failure cause", Cells.text(run.failureCause()))
                .field("Message", Cells.text(run.message()));
        JsonNode stop = raw.path("earlyStop");
        if (stop.isObject()) {
            view.field("Early stop", earlyStop(stop));
        }
        ExtraFields.addTo(view, raw, ExtraFields.handledBy(Run.class, Set.of("provenance", "earlyStop", "ranks")));
        view.section("Provenance", ExtraFields.members(raw.path("provenance")));
        if (raw.path("ranks").isArray() && !raw.path("ranks").isEmpty()) {
            Map<String, String> ranks = new LinkedHashMap<>();
            raw.path("ranks").forEach(r -> ranks.put("rank " + r.path("rank").asInt(), rank(r)));
            view.section("Ranks", ranks);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        run.parameters().forEach((name, value) -> parameters.put(name, Cells.json(value)));
        return view.section("Parameters", parameters).render();
    }
}
