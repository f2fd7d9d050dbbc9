package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.RerunLinksResource.CloneLink;
import dev.reprise.orchestrator.api.RerunLinksResource.SweepDerived;
import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.SweepRepository;
import dev.reprise.orchestrator.security.Access;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
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

    private final RunRepository runs;
    private final SweepRepository sweeps;

    public SweepDerivedResource(RunRepository runs, SweepRepository sweeps) {
        this.runs = runs;
        this.sweeps = sweeps;
    }

    @GET
    @Operation(operationId = "getSweepDerived",
            summary = "Re-runs of the sweep's runs and sweeps cloned from it (at most 200 of each)")
    @APIResponse(responseCode = "200", description = "What derives from the sweep", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SweepDerived.class)))
    @APIResponse(responseCode = "404", description = "No such sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.SWEEP)
    @Transactional
    public SweepDerived derived(@PathParam("id") long id) {
        sweeps.findByIdOptional(id).orElseThrow(() -> new NotFoundException("sweep", id));
        List<RunEntity> reruns = runs.find("rerunOf in (select r.id from RunEntity r where r.sweepId = ?1) order by id",
                id).page(0, RerunLinksResource.LIMIT).list();
        List<CloneLink> clones = sweeps.find("clonedFrom = ?1 order by id", id).page(0, RerunLinksResource.LIMIT)
                .list().stream().map(s -> new CloneLink(s.id, s.name)).toList();
        return new SweepDerived(id, RerunLinksResource.linksOf(sweeps, reruns), clones);
    }
}
