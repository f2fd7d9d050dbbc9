package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.application.DerivedRuns;
import dev.reprise.orchestrator.security.Access;
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

/**
 * Provenance links the other way round: a run's provenance names the run it re-runs (rerunOf) and its sweep the sweep
 * it was cloned from (clonedFrom); these list the re-runs of a run, and the re-runs and clones of a sweep's runs, so
 * that the dashboard links both ways.
 */
@Path("/api/v1/runs/{id}/reruns")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard")
public class RerunLinksResource {

    @Schema(name = "RerunLink", description = "A run that re-runs another")
    public record RerunLink(long runId, @Schema(description = "The run it re-runs") long rerunOf, long sweepId,
            String sweepName, String state) {
    }

    @Schema(name = "CloneLink", description = "A sweep cloned from another")
    public record CloneLink(long sweepId, String name) {
    }

    @Schema(name = "RunReruns", description = "The re-runs of one run, oldest first")
    public record RunReruns(long runId, List<RerunLink> items) {
    }

    @Schema(name = "SweepDerived", description = "Re-runs of a sweep's runs, and sweeps cloned from it, oldest first")
    public record SweepDerived(long sweepId, List<RerunLink> reruns, List<CloneLink> clones) {
    }

    private final DerivedRuns derived;

    public RerunLinksResource(DerivedRuns derived) {
        this.derived = derived;
    }

    @GET
    @Operation(operationId = "listRunReruns", summary = "The runs that re-run this one (at most 200)")
    @APIResponse(responseCode = "200", description = "Its re-runs", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunReruns.class)))
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN)
    public RunReruns reruns(@PathParam("id") long id) {
        return new RunReruns(id, links(derived.rerunsOf(id)));
    }

    static List<RerunLink> links(List<DerivedRuns.Rerun> found) {
        return found.stream().map(r -> new RerunLink(r.runId(), r.rerunOf(), r.sweepId(), r.sweepName(), r.state()))
                .toList();
    }
}
