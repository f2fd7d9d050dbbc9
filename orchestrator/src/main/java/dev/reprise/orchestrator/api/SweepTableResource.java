package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.application.SweepService;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.application.SweepReads;
import dev.reprise.orchestrator.persistence.SweepTableQuery;
import dev.reprise.orchestrator.persistence.SweepTableQuery.Sort;
import dev.reprise.orchestrator.persistence.SweepTableQuery.SortKind;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A sweep's runs as the dashboard's table: parameters and metric summaries as columns, sorted by any of them and
 * paged in the database, filtered by state. A resource of its own path, like {@link SweepRunsResource}.
 */
@Path("/api/v1/sweeps/{id}/table")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard", description = "Tables and plots over a sweep's runs and metrics")
public class SweepTableResource {

    static final int MAX_METRIC_COLUMNS = 100;

    private static final Map<String, SortKind> PLAIN_SORTS = Map.of("index", SortKind.INDEX, "state", SortKind.STATE,
            "created", SortKind.CREATED, "started", SortKind.STARTED, "finished", SortKind.FINISHED);
    private static final Map<String, SortKind> NAMED_SORTS = Map.of("param", SortKind.PARAMETER,
            "metric", SortKind.METRIC_LAST, "metric.last", SortKind.METRIC_LAST, "metric.min", SortKind.METRIC_MIN,
            "metric.max", SortKind.METRIC_MAX);

    private final SweepService service;
    private final SweepReads query;

    public SweepTableResource(SweepService service, SweepReads query) {
        this.service = service;
        this.query = query;
    }

    @GET
    @Operation(operationId = "getSweepTable",
            summary = "A page of a sweep's runs with parameters and metric summaries as columns")
    @APIResponse(responseCode = "200", description = "A page of the table",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SweepTableView.class)))
    @APIResponse(responseCode = "400", description = "Bad paging, sort key, state or metric",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.SWEEP)
    public SweepTableView table(@PathParam("id") long sweepId,
            @Parameter(description = "index (default), state, created, started, finished, param:NAME, metric:KEY "
                    + "(last value), metric.min:KEY or metric.max:KEY; prefix '-' for descending. Runs without a "
                    + "value (and NaN) come last either way, so a key no run reported leaves the run order; the run "
                    + "index breaks ties")
            @QueryParam("sort") String sort,
            @Parameter(description = "Only runs in these states (repeatable, or comma-separated)")
            @QueryParam("state") List<String> states,
            @Parameter(description = "Metric columns (repeatable); default: the objective, then every key a run "
                    + "reported except telemetry (sys/...)")
            @QueryParam("metric") List<String> metrics,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging paging = Paging.of(page, size);
        Set<RunState> stateFilter = states(states);
        SweepEntity sweep = service.get(sweepId);
        List<String> parameters = JsonTrees.parameterOrder(sweep.spec);
        Sort order = sort(sort, parameters);
        List<String> columns = columns(sweep, metrics);
        SweepTableQuery.Page result = query.table(sweepId, stateFilter, order, columns, paging.page(), paging.size());
        SweepTableQuery.Best best = query.best(List.of(sweepId)).get(sweepId);
        Long bestId = best == null ? null : best.runId();
        return new SweepTableView(sweepId,
                sweep.metricName == null ? null : new SweepView.MetricView(sweep.metricName, sweep.metricGoal),
                parameters, columns, SweepTableView.BestRunView.of(best),
                result.rows().stream().map(r -> SweepTableView.row(r, parameters, bestId)).toList(),
                paging.page(), paging.size(), result.total());
    }

    private List<String> columns(SweepEntity sweep, List<String> asked) {
        Set<String> columns = new LinkedHashSet<>();
        if (asked != null && !asked.isEmpty()) {
            for (String key : asked) {
                if (key == null || key.isBlank() || key.length() > 256) {
                    throw new BadInputException("metric", "a metric key is 1 to 256 characters");
                }
                columns.add(key);
            }
        } else {
            if (sweep.metricName != null) {
                columns.add(sweep.metricName);
            }
            columns.addAll(query.metricKeys(sweep.id));
        }
        if (columns.size() > MAX_METRIC_COLUMNS) {
            throw new BadInputException("metric", "at most " + MAX_METRIC_COLUMNS + " metric columns");
        }
        return new ArrayList<>(columns);
    }

    static Sort sort(String sort, List<String> parameters) {
        String term = sort == null || sort.isBlank() ? "index" : sort.strip();
        boolean descending = term.startsWith("-");
        if (descending) {
            term = term.substring(1);
        }
        SortKind plain = PLAIN_SORTS.get(term);
        if (plain != null) {
            return new Sort(plain, null, descending);
        }
        int colon = term.indexOf(':');
        SortKind named = colon < 0 ? null : NAMED_SORTS.get(term.substring(0, colon));
        String name = colon < 0 ? "" : term.substring(colon + 1);
        if (named == null || name.isEmpty()) {
            throw new BadInputException("sort", "sort must be index, state, created, started, finished, "
                    + "param:NAME, metric:KEY, metric.min:KEY or metric.max:KEY, optionally prefixed with '-'");
        }
        if (named == SortKind.PARAMETER && !parameters.contains(name)) {
            throw new BadInputException("sort", "the sweep has no parameter named '" + name + "'");
        }
        return new Sort(named, name, descending);
    }

    static Set<RunState> states(List<String> states) {
        Set<RunState> out = EnumSet.noneOf(RunState.class);
        if (states == null) {
            return out;
        }
        for (String value : states) {
            for (String s : value.split(",")) {
                if (s.isBlank()) {
                    continue;
                }
                try {
                    out.add(RunState.valueOf(s.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new BadInputException("state", "state must be one of "
                            + Arrays.toString(RunState.values()));
                }
            }
        }
        return out;
    }
}
