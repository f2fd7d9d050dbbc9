package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.application.RendezvousService;
import dev.reprise.orchestrator.domain.distributed.Rendezvous;
import dev.reprise.orchestrator.domain.error.ConflictException;
import dev.reprise.orchestrator.domain.error.MalformedDocumentException;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.security.Access;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The rendezvous of a distributed attempt (ADR 0008), for the agents of its ranks: register, then ask again until
 * every rank is up.
 */
@Path("/api/v1/runs/{id}/attempts/{attempt}/rendezvous")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs", description = "Runs, their metrics, logs and events")
public class RendezvousResource {

    private final RendezvousService service;

    public RendezvousResource(RendezvousService service) {
        this.service = service;
    }

    @Schema(name = "RendezvousRequest")
    public record RendezvousRequest(
            @Schema(description = "This rank's own name: its pod name (REPRISE_POD_NAME)") String member,
            @Schema(description = "Where the others reach it: its pod IP (REPRISE_POD_IP)") String address,
            @Schema(description = "The node it runs on (REPRISE_NODE_NAME)") String node,
            @Schema(description = "Its rank where the executor assigned one (an Indexed Job's completion index); "
                    + "null to be given one") Integer rank) {
    }

    @Schema(name = "Rendezvous")
    public record RendezvousView(
            @Schema(enumeration = {"WAITING", "READY"}) String state,
            @Schema(description = "How many ranks have registered") int registered,
            int nodes,
            @Schema(description = "READY: this member's rank (NODE_RANK, RANK)") Integer rank,
            @Schema(description = "READY: rank 0's address (MASTER_ADDR)") String masterAddr,
            @Schema(description = "READY: the port rank 0 listens on (MASTER_PORT)") Integer masterPort) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "rendezvous", summary = "Register a rank of a distributed attempt (for the agent)",
            description = "Each rank's agent registers its pod name and IP with its run token and asks again (same "
                    + "body) every second until the answer is READY: then every rank is up and it learns its rank and "
                    + "rank 0's address, and only then starts the command. 202 WAITING until then. Ranks come from "
                    + "the body's rank where the executor assigned one, else by pod name. A member past the attempt's "
                    + "N ranks, or an attempt that is not running (ended, past its start deadline), gets 409: the "
                    + "agent exits without starting the command.")
    @APIResponse(responseCode = "200", description = "READY: every rank is up",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RendezvousView.class)))
    @APIResponse(responseCode = "202", description = "WAITING: ask again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RendezvousView.class)))
    @APIResponse(responseCode = "400", description = "A bad member name, address or rank",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The attempt is not running, is not distributed, or has its "
            + "ranks already",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN, role = Role.MAINTAINER, runToken = true)
    public Response register(@PathParam("id") long id, @PathParam("attempt") int attempt, RendezvousRequest body) {
        if (body == null) {
            throw new MalformedDocumentException("the request body is empty; send {member, address, node, rank}");
        }
        Rendezvous.Answer answer = service.register(id, attempt, body.member(), body.address(), body.node(),
                body.rank());
        if (answer instanceof Rendezvous.Answer.Waiting w) {
            return Response.accepted(new RendezvousView("WAITING", w.registered(), w.nodes(), null, null, null))
                    .build();
        }
        if (answer instanceof Rendezvous.Answer.Ready r) {
            return Response.ok(new RendezvousView("READY", r.nodes(), r.nodes(), r.rank(), r.masterAddress(),
                    service.masterPort(id, attempt))).build();
        }
        throw new ConflictException(((Rendezvous.Answer.Refused) answer).reason(), "member");
    }
}
