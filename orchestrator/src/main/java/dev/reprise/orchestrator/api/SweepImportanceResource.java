package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.application.SweepReads;
import dev.reprise.orchestrator.application.SweepService;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.domain.search.ParameterImportance;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.SweepTableQuery;
import dev.reprise.orchestrator.security.Access;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Which parameters matter: each one's share of the objective's variance over the sweep's runs. */
@Path("/api/v1/sweeps/{id}/importance")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard")
public class SweepImportanceResource {

    static final int MAX_RUNS = 10_000;

    @Schema(name = "ParameterImportance", description = "One parameter's share of the objective's variance, 0 to 1")
    public record ImportanceView(String parameter, double importance) {
    }

    @Schema(name = "SweepImportance", description = "Parameter importance over a sweep's runs, most important first")
    public record SweepImportanceView(long sweepId, String metric,
            @Schema(description = "How the importances were computed") String method,
            @Schema(description = "Runs that reported a finite value of the metric") int runs,
            List<ImportanceView> parameters) {
    }

    private final SweepService service;
    private final SweepReads query;

    public SweepImportanceResource(SweepService service, SweepReads query) {
        this.service = service;
        this.query = query;
    }

    @GET
    @Operation(operationId = "getSweepImportance", summary = "Parameter importance for the objective (or a metric)",
            description = "A first-order variance decomposition (fANOVA-style main effects): for each parameter, "
                    + "Var(E[metric | parameter]) / Var(metric) over the runs' last values, numeric parameters with "
                    + "many values grouped into 10 equal-count bins. Interactions are not split out.")
    @APIResponse(responseCode = "200", description = "The importances", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SweepImportanceView.class)))
    @APIResponse(responseCode = "400", description = "No metric named and the sweep has no objective",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.SWEEP)
    public SweepImportanceView importance(@PathParam("id") long sweepId,
            @Parameter(description = "The metric key (default: the sweep's objective)") @QueryParam("metric")
            String metric) {
        SweepEntity sweep = service.get(sweepId);
        String key = metric != null && !metric.isBlank() ? metric : sweep.metricName;
        if (key == null) {
            throw new BadInputException("metric", "the sweep has no objective: name a metric");
        }
        List<String> parameters = JsonTrees.parameterOrder(sweep.spec);
        List<SweepTableQuery.Coordinate> rows = query.coordinates(sweepId, key, false, MAX_RUNS);
        List<Map<String, Object>> values = rows.stream().map(c -> JsonTrees.parseObject(c.parametersJson())).toList();
        List<Double> objective = rows.stream().map(SweepTableQuery.Coordinate::value).toList();
        List<ImportanceView> out = ParameterImportance.of(parameters, values, objective).stream()
                .map(i -> new ImportanceView(i.parameter(), i.importance())).toList();
        int finite = (int) objective.stream().filter(Double::isFinite).count();
        return new SweepImportanceView(sweepId, key, ParameterImportance.METHOD, finite, out);
    }
}
