package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.persistence.SweepTableQuery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of a sweep's runs as a table: parameters and metric summaries as columns, and the sweep's best run. */
@Schema(name = "SweepTable")
public record SweepTableView(
        long sweepId,
        @Schema(description = "The sweep's objective; null when the sweep has none") SweepView.MetricView objective,
        @Schema(description = "Parameter columns, in declaration order") List<String> parameters,
        @Schema(description = "Metric columns: the objective first, then every key a run reported, by name; "
                + "telemetry (sys/...) left out unless asked for") List<String> metrics,
        @Schema(description = "The run with the best objective value (last reported value) over the whole sweep, "
                + "whatever the filter; null until one reported it") BestRunView best,
        List<RowView> items,
        int page,
        int size,
        @Schema(description = "Runs matching the filter") long total) {

    /** One run. */
    @Schema(name = "SweepTableRow")
    public record RowView(long id, int index, String state, int attempt,
            @Schema(description = "Resolved parameters, in declaration order") Map<String, Object> parameters,
            @Schema(description = "Summary per metric column the run reported") Map<String, SummaryView> metrics,
            Instant createdAt, Instant startedAt, Instant finishedAt, String failureCause,
            @Schema(description = "Whether this is the sweep's best run") boolean best) {
    }

    /** A metric key of one run at a glance. Values are numbers, or the strings NaN, Infinity or -Infinity. */
    @Schema(name = "MetricSummary")
    public record SummaryView(long points, long lastStep, double last,
            @Schema(description = "Lowest value, NaN left out") Double min,
            @Schema(description = "Highest value, NaN left out") Double max) {

        static SummaryView of(SweepTableQuery.Summary s) {
            return new SummaryView(s.points(), s.lastStep(), s.last(), s.min(), s.max());
        }
    }

    /** The best run of a sweep: its id, index and objective value. */
    @Schema(name = "BestRun")
    public record BestRunView(long runId, int index,
            @Schema(description = "The objective's last reported value") double value,
            @Schema(description = "The run's resolved parameters") Map<String, Object> parameters) {

        static BestRunView of(SweepTableQuery.Best b) {
            return b == null ? null
                    : new BestRunView(b.runId(), b.index(), b.value(), JsonTrees.parseObject(b.parametersJson()));
        }
    }

    static RowView row(SweepTableQuery.Row r, List<String> parameterOrder, Long bestRunId) {
        Map<String, SummaryView> metrics = new LinkedHashMap<>();
        r.metrics().forEach((k, s) -> metrics.put(k, SummaryView.of(s)));
        return new RowView(r.id(), r.index(), r.state().name(), r.attempt(),
                ordered(JsonTrees.parseObject(r.parametersJson()), parameterOrder), metrics, r.createdAt(),
                r.startedAt(), r.finishedAt(), r.failureCause(), bestRunId != null && bestRunId == r.id());
    }

    /** Stored parameters (jsonb forgets the order) in the sweep's declaration order, unknown names after. */
    static Map<String, Object> ordered(Map<String, Object> stored, List<String> order) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (String name : order) {
            if (stored.containsKey(name)) {
                params.put(name, stored.get(name));
            }
        }
        params.putAll(stored);
        return params;
    }
}
