package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.application.SweepService;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.application.SweepReads;
import dev.reprise.orchestrator.persistence.SweepTableQuery;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Parameters against the objective (or another metric), one row per run: the parallel-coordinates plot. */
@Path("/api/v1/sweeps/{id}/coordinates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard")
public class SweepCoordinatesResource {

    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;

    private final SweepService service;
    private final SweepReads query;

    public SweepCoordinatesResource(SweepService service, SweepReads query) {
        this.service = service;
        this.query = query;
    }

    @GET
    @Operation(operationId = "getSweepCoordinates",
            summary = "Each run's parameters and last value of a metric, best first")
    @APIResponse(responseCode = "200", description = "The runs that reported the metric",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SweepCoordinatesView.class)))
    @APIResponse(responseCode = "400", description = "Bad limit or goal, or no metric to plot",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.SWEEP)
    public SweepCoordinatesView coordinates(@PathParam("id") long sweepId,
            @Parameter(description = "The metric key (default: the sweep's objective)") @QueryParam("metric")
            String metric,
            @Parameter(description = "minimize or maximize (default: the objective's goal, else minimize)")
            @QueryParam("goal") String goal,
            @Parameter(description = "Most runs, 1 to " + MAX_LIMIT + " (default " + DEFAULT_LIMIT + ")")
            @QueryParam("limit") Integer limit) {
        int max = limit == null ? DEFAULT_LIMIT : limit;
        if (max < 1 || max > MAX_LIMIT) {
            throw new BadInputException("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        if (goal != null && !goal.equals("minimize") && !goal.equals("maximize")) {
            throw new BadInputException("goal", "goal must be minimize or maximize");
        }
        SweepEntity sweep = service.get(sweepId);
        String key = metric != null && !metric.isBlank() ? metric : sweep.metricName;
        if (key == null) {
            throw new BadInputException("metric", "the sweep has no objective: name a metric");
        }
        String direction = goal != null ? goal
                : key.equals(sweep.metricName) && sweep.metricGoal != null ? sweep.metricGoal : "minimize";
        List<String> parameters = JsonTrees.parameterOrder(sweep.spec);
        List<SweepCoordinatesView.CoordinateView> items = query
                .coordinates(sweepId, key, direction.equals("maximize"), max).stream()
                .map(c -> new SweepCoordinatesView.CoordinateView(c.runId(), c.index(), c.state().name(),
                        SweepTableView.ordered(JsonTrees.parseObject(c.parametersJson()), parameters), c.value()))
                .toList();
        return new SweepCoordinatesView(sweepId, key, direction, parameters, items);
    }
}
