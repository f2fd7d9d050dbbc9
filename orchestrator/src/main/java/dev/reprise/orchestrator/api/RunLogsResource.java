package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.application.SweepService;
import dev.reprise.orchestrator.application.RunReads;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The output lines of a run that its agent shipped. */
@Path("/api/v1/runs/{id}/logs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "metrics")
public class RunLogsResource {

    private final SweepService service;
    private final RunReads query;

    public RunLogsResource(SweepService service, RunReads query) {
        this.service = service;
        this.query = query;
    }

    @GET
    @Operation(operationId = "getRunLogs", summary = "A page of the output lines of one attempt of a run")
    @APIResponse(responseCode = "200", description = "A page of lines",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = LogPageView.class)))
    @APIResponse(responseCode = "400", description = "Bad paging, stream, attempt, rank or from_line",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN)
    public LogPageView logs(@PathParam("id") long id,
            @Parameter(description = "Attempt (default: the newest attempt that shipped lines)")
            @QueryParam("attempt") Integer attempt,
            @Parameter(description = "stdout or stderr; without it both streams, in the order they were shipped")
            @QueryParam("stream") String stream,
            @Parameter(description = "With stream: start at this line number (for following a log)")
            @QueryParam("from_line") Long fromLine,
            @Parameter(description = "Node rank of a distributed trial whose lines to read (default 0: rank 0, "
                    + "whose lines are the run's)")
            @QueryParam("rank") Integer rank,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging paging = Paging.of(page, size);
        Integer streamNumber = stream(stream);
        if (attempt != null && attempt < 0) {
            throw new BadInputException("attempt", "attempt must be 0 or more");
        }
        if (rank != null && (rank < 0 || rank > dev.reprise.api.messages.RunHeaders.MAX_RANK)) {
            throw new BadInputException("rank", "rank must be between 0 and "
                    + dev.reprise.api.messages.RunHeaders.MAX_RANK);
        }
        if (fromLine != null && (streamNumber == null || fromLine < 0)) {
            throw new BadInputException("from_line", "from_line needs a stream and must be 0 or more");
        }
        service.getRun(id);
        return LogPageView.of(query.logs(id, attempt, rank == null ? 0 : rank, streamNumber, fromLine, paging.page(),
                paging.size()),
                paging.page(), paging.size());
    }

    private static Integer stream(String stream) {
        if (stream == null) {
            return null;
        }
        return switch (stream) {
            case "stdout" -> 1;
            case "stderr" -> 2;
            default -> throw new BadInputException("stream", "stream must be stdout or stderr");
        };
    }
}
