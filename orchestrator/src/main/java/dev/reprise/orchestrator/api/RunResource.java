package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.application.ProvenanceService;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.application.SweepService;
import dev.reprise.orchestrator.persistence.RunEntity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs", description = "Runs: the trials of a sweep")
public class RunResource {

    private final SweepService service;
    private final ProvenanceService provenance;
    private final dev.reprise.orchestrator.application.RunReads metrics;

    public RunResource(SweepService service, ProvenanceService provenance,
            dev.reprise.orchestrator.application.RunReads metrics) {
        this.service = service;
        this.provenance = provenance;
        this.metrics = metrics;
    }

    @GET
    @Path("/{id}/provenance")
    @Operation(operationId = "getRunProvenance", summary = "The run's provenance record",
            description = "The exact submitted spec and its hash, resolved parameters, environment (secrets "
                    + "redacted), image and pulled digest, data snapshot id, git, seed, agent version, node and GPU "
                    + "model. Recorded before the run starts and never changed after, except the observed fields.")
    @APIResponse(responseCode = "200", description = "The record",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ProvenanceView.class)))
    @APIResponse(responseCode = "404", description = "No such run, or a run created before provenance was recorded",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN)
    public ProvenanceView provenance(@PathParam("id") long id) {
        return ProvenanceView.of(provenance.get(id), metrics.ranks(id, service.getRun(id).attempt));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getRun", summary = "One run with its parameters and provenance")
    @APIResponse(responseCode = "200", description = "The run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN)
    public RunView get(@PathParam("id") long id) {
        RunEntity run = service.getRun(id);
        return RunView.of(run, JsonTrees.parameterOrder(service.get(run.sweepId).spec), metrics.warnings(id).stream()
                .map(w -> new RunMetricsView.WarningView(w.source(), w.reason(), w.count(), w.example(), w.lastAt()))
                .toList(), metrics.loggedParams(id), metrics.ranks(id, run.attempt).stream().map(RunView.RankView::of)
                .toList());
    }
}
