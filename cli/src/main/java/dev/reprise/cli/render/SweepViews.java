package dev.reprise.cli.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.cli.client.Page;
import dev.reprise.cli.client.Sweep;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Text views of sweeps: the list table, the detail view and the one-line confirmations. */
public final class SweepViews {
    /** The spec as normalised and as submitted: long, and in full with {@code -o json}. */
    private static final Set<String> NOT_SHOWN = Set.of("spec", "specText");
    private static final List<String> HEADERS =
            List.of("ID", "NAME", "PROJECT", "STATUS", "METHOD", "METRIC", "RUNS", "RUN STATES", "CREATED");

    private SweepViews() {
    }

    public static String table(Page<Sweep> page, TableRenderer tables) {
        if (page.items().isEmpty()) {
            return PageFooter.of(page, "sweeps").orElseThrow();
        }
        List<List<String>> rows = page.items().stream().map(s -> List.of(
                Cells.text(s.id()),
                Cells.text(s.name()),
                Cells.text(s.project()),
                Cells.text(s.status()),
                Cells.text(s.method()),
                metric(s),
                Cells.text(s.totalRuns()),
                runStates(s),
                Cells.timestamp(s.createdAt()))).toList();
        return tables.render(HEADERS, rows) + PageFooter.of(page, "sweeps").map(f -> "\n" + f).orElse("");
    }

    public static String detail(Sweep sweep, JsonNode raw) {
        DetailRenderer view = new DetailRenderer()
                .field("ID", Cells.text(sweep.id()))
                .field("Name", Cells.text(sweep.name()))
                .field("Project", Cells.text(sweep.project()))
                .field("Status", Cells.text(sweep.status()))
                .field("Method", Cells.text(sweep.method()))
                .field("Metric", metric(sweep))
                .field("Max trials", Cells.text(sweep.maxTrials()))
                .field("Parallelism", Cells.text(sweep.parallelism()))
                .field("Max failed trials", Cells.text(sweep.maxFailedTrials()))
                .field("Seed", Cells.text(sweep.seed()))
                .field("Queue", Cells.text(sweep.queue()))
                .field("Priority", Cells.text(sweep.priority()))
                .field("Spec hash", Cells.text(sweep.specHash()))
                .field("Created", Cells.timestamp(sweep.createdAt()))
                .field("Created by", Cells.text(sweep.createdBy()))
                .field("Updated", Cells.timestamp(sweep.updatedAt()))
                .field("Finished", Cells.timestamp(sweep.finishedAt()))
                .field("Runs", runsSummary(sweep))
                .field("Best run", bestRun(sweep));
        ExtraFields.addTo(view, raw, ExtraFields.handledBy(Sweep.class, NOT_SHOWN));
        return view.render();
    }

    /** E.g. {@code Submitted sweep 12 (digits-grid): 12 runs, method grid}. */
    public static String submitted(Sweep sweep) {
        Long runs = sweep.totalRuns();
        String count = runs == null ? "" : runs + (runs == 1 ? " run, " : " runs, ");
        return "Submitted sweep " + sweep.id() + " (" + sweep.name() + "): " + count + "method " + sweep.method();
    }

    /** E.g. {@code Cancelled sweep 12 (digits-grid): status CANCELLED}. */
    public static String cancelled(Sweep sweep) {
        return "Cancelled sweep " + sweep.id() + " (" + sweep.name() + "): status " + sweep.status();
    }

    private static String metric(Sweep sweep) {
        if (sweep.metric() == null || sweep.metric().name() == null) {
            return Cells.NONE;
        }
        String goal = sweep.metric().goal() == null ? "" : sweep.metric().goal().toLowerCase(Locale.ROOT);
        return switch (goal) {
            case "maximize" -> "max " + sweep.metric().name();
            case "minimize" -> "min " + sweep.metric().name();
            default -> sweep.metric().name();
        };
    }

    /** E.g. {@code run 42 (#3): accuracy = 0.9712 with lr=0.01, hidden=64}; none until a run reported it. */
    private static String bestRun(Sweep sweep) {
        Sweep.BestRun best = sweep.best();
        if (best == null || best.runId() == null) {
            return Cells.NONE;
        }
        String metric = sweep.metric() == null || sweep.metric().name() == null ? "objective" : sweep.metric().name();
        String parameters = best.parameters() == null || best.parameters().isEmpty() ? ""
                : " with " + best.parameters().entrySet().stream()
                        .map(e -> e.getKey() + "=" + Cells.text(e.getValue()))
                        .collect(Collectors.joining(", "));
        return "run " + best.runId() + " (#" + best.index() + "): " + metric + " = " + Cells.text(best.value())
                + parameters;
    }

    private static String runStates(Sweep sweep) {
        String states = sweep.runCounts().entrySet().stream()
                .filter(e -> !"total".equals(e.getKey()))
                .map(e -> e.getValue() + " " + e.getKey().toLowerCase(Locale.ROOT).replace('_', ' '))
                .collect(Collectors.joining(", "));
        return states.isEmpty() ? Cells.NONE : states;
    }

    private static String runsSummary(Sweep sweep) {
        String states = runStates(sweep);
        String total = Cells.text(sweep.totalRuns());
        return Cells.NONE.equals(states) ? total : total + " (" + states + ")";
    }
}
