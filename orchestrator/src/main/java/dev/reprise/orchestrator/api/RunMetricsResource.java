package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.application.SweepService;
import dev.reprise.api.messages.MetricKeys;
import dev.reprise.orchestrator.domain.metrics.Downsampling;
import dev.reprise.orchestrator.application.RunReads;
import dev.reprise.orchestrator.persistence.RunEntity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The metrics the agents reported for a run: key summaries, and each key's series. */
@Path("/api/v1/runs/{id}/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "metrics", description = "Metrics, logs and live updates that the agents report for a run")
public class RunMetricsResource {

    static final int DEFAULT_MAX_POINTS = 1000;
    static final int MAX_MAX_POINTS = 100_000;

    private final SweepService service;
    private final RunReads query;

    public RunMetricsResource(SweepService service, RunReads query) {
        this.service = service;
        this.query = query;
    }

    @GET
    @Operation(operationId = "listRunMetrics",
            summary = "Every key of a run with count, last, min and max; agent reports; refused input")
    @APIResponse(responseCode = "200", description = "The run's metrics",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RunMetricsView.class)))
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN)
    public RunMetricsView list(@PathParam("id") long id) {
        RunEntity run = service.getRun(id);
        return RunMetricsView.of(id, run.attempt, query.metrics(id));
    }

    @GET
    @Path("/{key: .+}")
    @Operation(operationId = "getRunMetric", summary = "A step range of one key: every point, or at most max_points "
            + "(the lowest and highest point of max_points / 2 step buckets) when the range holds more")
    @APIResponse(responseCode = "200", description = "The series range",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = MetricSeriesView.class)))
    @APIResponse(responseCode = "400", description = "Bad range, attempt, max_points or key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such run, or the run has no such key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN)
    public MetricSeriesView series(@PathParam("id") long id,
            @Parameter(description = "The key; slashes need no escaping, e.g. sys/gpu.0.util") @PathParam("key")
            String key,
            @Parameter(description = "First step, inclusive (default: the first)") @QueryParam("from") Long from,
            @Parameter(description = "Last step, inclusive (default: the last)") @QueryParam("to") Long to,
            @Parameter(description = "Most points to return, 2 to " + MAX_MAX_POINTS + " (default "
                    + DEFAULT_MAX_POINTS + ")") @QueryParam("max_points") Integer maxPoints,
            @Parameter(description = "Attempt (default: the attempt of the key's last point, with the steps up to the "
                    + "checkpoint it resumed from taken from the attempts before it, each step once)")
            @QueryParam("attempt") Integer attempt) {
        int max = maxPoints == null ? DEFAULT_MAX_POINTS : maxPoints;
        if (max < Downsampling.MIN_POINTS || max > MAX_MAX_POINTS) {
            throw new BadInputException("max_points", "max_points must be between "
                    + Downsampling.MIN_POINTS + " and " + MAX_MAX_POINTS);
        }
        if (from != null && from < 0) {
            throw new BadInputException("from", "from must be 0 or more");
        }
        if (to != null && to < (from == null ? 0 : from)) {
            throw new BadInputException("to", "to must not be below from (nor below 0)");
        }
        if (attempt != null && attempt < 0) {
            throw new BadInputException("attempt", "attempt must be 0 or more");
        }
        MetricKeys.rejection(key).ifPresent(problem -> {
            throw new BadInputException("key", "not a metric key: " + problem);
        });
        service.getRun(id);
        return query.series(id, key, attempt, from, to, max).map(s -> MetricSeriesView.of(id, s))
                .orElseThrow(() -> new NotFoundException("metric", "'" + key + "' of run " + id));
    }
}
