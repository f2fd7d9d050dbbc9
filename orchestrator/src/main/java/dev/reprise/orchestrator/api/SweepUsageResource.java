package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.application.SweepService;
import dev.reprise.orchestrator.application.UsageService;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.scheduling.StoredSpecs;
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

/** A sweep's usage: what the sweep page shows beside its budget (docs/usage.md). */
@Path("/api/v1/sweeps/{id}/usage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "usage")
public class SweepUsageResource {

    private final UsageService usage;
    private final SweepService sweeps;
    private final StoredSpecs specs;

    public SweepUsageResource(UsageService usage, SweepService sweeps, StoredSpecs specs) {
        this.usage = usage;
        this.sweeps = sweeps;
        this.specs = specs;
    }

    @GET
    @Operation(operationId = "getSweepUsage", summary = "A sweep's usage: totals, per run, and its objective "
            + "against cumulative GPU-hours")
    @APIResponse(responseCode = "200", description = "The sweep's usage",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = UsageView.Sweep.class)))
    @APIResponse(responseCode = "404", description = "No such sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.SWEEP)
    public UsageView.Sweep sweep(@PathParam("id") long id) {
        SweepEntity sweep = sweeps.get(id);
        return UsageView.Sweep.of(id, specs.of(sweep).budgetGpuHours(), usage.sweep(sweep));
    }

}
