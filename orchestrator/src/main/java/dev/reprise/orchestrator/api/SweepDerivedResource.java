package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.RerunLinksResource.CloneLink;
import dev.reprise.orchestrator.api.RerunLinksResource.SweepDerived;
import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.application.DerivedRuns;
import dev.reprise.orchestrator.security.Access;
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

/** What derives from a sweep: re-runs of its runs and sweeps cloned from it (the sweep page links them). */
@Path("/api/v1/sweeps/{id}/derived")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard")
public class SweepDerivedResource {

    private final DerivedRuns derived;

    public SweepDerivedResource(DerivedRuns derived) {
        this.derived = derived;
    }

    @GET
    @Operation(operationId = "getSweepDerived",
            summary = "Re-runs of the sweep's runs and sweeps cloned from it (at most 200 of each)")
    @APIResponse(responseCode = "200", description = "What derives from the sweep", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SweepDerived.class)))
    @APIResponse(responseCode = "404", description = "No such sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.SWEEP)
    public SweepDerived derived(@PathParam("id") long id) {
        DerivedRuns.Derived found = derived.derivedFrom(id);
        return new SweepDerived(id, RerunLinksResource.links(found.reruns()),
                found.clones().stream().map(c -> new CloneLink(c.sweepId(), c.name())).toList());
    }
}
