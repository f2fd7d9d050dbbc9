package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.security.AuditLog;
import dev.reprise.orchestrator.security.CallerContext;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.application.ReproService;
import dev.reprise.orchestrator.application.SweepService;
import dev.reprise.orchestrator.domain.compare.Tolerance;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.application.SweepReads;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Re-running a run exactly, and comparing two runs. */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public class RunReproResource {

    private final ReproService repro;
    private final SweepReads runs;
    private final CallerContext callers;
    private final AuditLog audit;

    public RunReproResource(ReproService repro, SweepReads runs, CallerContext callers, AuditLog audit) {
        this.repro = repro;
        this.runs = runs;
        this.callers = callers;
        this.audit = audit;
    }

    /** The new run and the single-trial sweep that holds it. */
    @Schema(name = "Rerun")
    public record RerunView(@Schema(description = "The new run") long runId,
            @Schema(description = "The run it re-runs") long rerunOf, SweepView sweep) {
    }

    @POST
    @Path("/{id}/rerun")
    @Operation(operationId = "rerunRun", summary = "Re-run a run exactly",
            description = "Creates a new single-trial sweep (named <sweep>-rerun-<id>) whose one run is pinned to "
                    + "the original's recorded provenance: parameters, image by its pulled digest, data snapshot id, "
                    + "seed, command, environment and resources. Its provenance names the original in rerunOf.")
    @APIResponse(responseCode = "201", description = "The new run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RerunView.class)))
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The run has no provenance record, or its data snapshot was "
            + "deleted or has blobs missing from the store (field data.snapshotId, naming a file)", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN, role = Role.MEMBER, rateLimited = true)
    public Response rerun(@PathParam("id") long id, UriInfo uri) {
        SweepService.Submitted submitted = repro.rerun(id, callers.caller());
        RunEntity run = runs.firstRun(submitted.sweep().id);
        audit.record(AuditLog.Action.RUN_RERUN, submitted.sweep().project.name, "run:" + run.id,
                Map.of("rerunOf", id, "sweep", submitted.sweep().id));
        RerunView view = new RerunView(run.id, id, SweepView.summary(submitted.sweep(),
                Map.of(RunState.QUEUED, 1L)));
        return Response.created(uri.getBaseUriBuilder().path("api/v1/runs/{id}").build(run.id)).entity(view).build();
    }

    @GET
    @Path("/{a}/compare/{b}")
    @Operation(operationId = "compareRuns", summary = "Compare two runs",
            description = "Provenance, parameter and outcome differences, and each metric's curves over the steps "
                    + "both runs reported (max absolute and relative deviation, final-value delta), with a verdict "
                    + "reproduced or diverged within rtol/atol. System metrics (sys/*) are not compared.")
    @APIResponse(responseCode = "200", description = "The comparison",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ComparisonView.class)))
    @APIResponse(responseCode = "400", description = "A negative or non-finite tolerance, or runs with more points "
            + "than a comparison reads", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such run, or a run without a provenance record",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN, ids = {"a", "b"})
    public ComparisonView compare(@PathParam("a") long a, @PathParam("b") long b,
            @Parameter(description = "Relative tolerance (default 1e-5)") @QueryParam("rtol") String rtol,
            @Parameter(description = "Absolute tolerance (default 1e-8)") @QueryParam("atol") String atol) {
        Tolerance t = new Tolerance(tolerance("rtol", rtol, Tolerance.DEFAULT.rtol()),
                tolerance("atol", atol, Tolerance.DEFAULT.atol()));
        return ComparisonView.of(a, b, repro.compare(a, b, t));
    }

    private static double tolerance(String name, String raw, double fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            double v = Double.parseDouble(raw.strip());
            if (v >= 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadInputException(name, name + " must be a finite number >= 0, e.g. 1e-5; got '" + raw
                + "'");
    }
}
