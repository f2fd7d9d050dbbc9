package dev.reprise.orchestrator.security;

import dev.reprise.orchestrator.domain.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Test-only endpoints (hidden from the OpenAPI document) with the rule shapes no production endpoint of this branch
 * uses yet: an agent endpoint of one run attempt, and an endpoint addressing two runs.
 */
@Path("/api/v1/test-probe")
@Produces(MediaType.TEXT_PLAIN)
public class ProbeResource {

    @GET
    @Path("/runs/{id}/attempts/{attempt}")
    @Operation(hidden = true)
    @Access(on = Access.Scope.RUN, role = Role.MEMBER, runToken = true)
    public String attempt(@PathParam("id") long id, @PathParam("attempt") int attempt) {
        return "ok";
    }

    @GET
    @Path("/runs/{a}/with/{b}")
    @Operation(hidden = true)
    @Access(on = Access.Scope.RUN, ids = {"a", "b"})
    public String pair(@PathParam("a") long a, @PathParam("b") long b) {
        return "ok";
    }
}
