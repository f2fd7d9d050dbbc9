package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.security.AuditLog;
import dev.reprise.orchestrator.security.CallerContext;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.application.ReproService;
import dev.reprise.orchestrator.application.SweepService;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.spec.SpecOverrides;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Cloning a sweep with changes. */
@Path("/api/v1/sweeps")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sweeps")
public class SweepCloneResource {

    private final ReproService repro;
    private final CallerContext callers;
    private final AuditLog audit;

    public SweepCloneResource(ReproService repro, CallerContext callers, AuditLog audit) {
        this.repro = repro;
        this.callers = callers;
        this.audit = audit;
    }

    @Schema(name = "CloneRequest")
    public record CloneRequest(
            @Schema(description = "Name of the new sweep (default <name>-clone, -clone-2, ...)") String name,
            @Schema(description = "Changes by dotted path into the sweep document; a first segment naming a "
                    + "parameter means parameters.<name> (lr.max = parameters.lr.max); value null removes a field")
            List<SetView> set) {
    }

    @Schema(name = "CloneSet")
    public record SetView(@Schema(required = true, examples = "lr.max") String path,
            @Schema(implementation = Object.class, description = "Any JSON value") Object value) {
    }

    @POST
    @Path("/{id}/clone")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "cloneSweep", summary = "Clone a sweep with changes",
            description = "Submits a copy of the sweep's normalised spec (same seed, same data snapshot id) with the "
                    + "changes applied; the result is validated like any submission and nothing is stored if it is "
                    + "invalid. The new sweep records clonedFrom.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CloneRequest.class)))
    @APIResponse(responseCode = "201", description = "The new sweep",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SweepView.class)))
    @APIResponse(responseCode = "404", description = "No such sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "A sweep of that name exists in the project",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "An unknown path (set[i].path) or a changed spec the parser "
            + "refuses (errors at the spec's field paths)", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.SWEEP, role = Role.MEMBER, rateLimited = true)
    public Response cloneSweep(@PathParam("id") long id, CloneRequest request, UriInfo uri) {
        List<SpecOverrides.Override> overrides = new ArrayList<>();
        if (request != null && request.set() != null) {
            for (SetView s : request.set()) {
                overrides.add(new SpecOverrides.Override(s == null ? null : s.path(), s == null ? null : s.value()));
            }
        }
        SweepService.Submitted submitted = repro.cloneSweep(id, request == null ? null : request.name(), overrides,
                callers.caller());
        audit.record(AuditLog.Action.SWEEP_CLONE, submitted.sweep().project.name, "sweep:" + submitted.sweep().id,
                Map.of("clonedFrom", id, "name", submitted.sweep().name, "runs", submitted.runCount()));
        return Response.created(uri.getBaseUriBuilder().path("api/v1/sweeps/{id}").build(submitted.sweep().id))
                .entity(SweepView.summary(submitted.sweep(), Map.of(RunState.QUEUED, (long) submitted.runCount())))
                .build();
    }
}
