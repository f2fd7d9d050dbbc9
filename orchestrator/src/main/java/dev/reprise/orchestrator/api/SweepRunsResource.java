package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.application.SweepService;
import dev.reprise.orchestrator.persistence.PagedResult;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.application.SweepReads;
import dev.reprise.orchestrator.persistence.SweepEntity;
import io.quarkus.panache.common.Sort;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The runs of one sweep. A resource of its own: JAX-RS would not fall back from SweepResource's longer path. */
@Path("/api/v1/sweeps/{id}/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public class SweepRunsResource {

    private static final Map<String, String> SORT_COLUMNS = Map.of("index", "index", "state", "state",
            "created", "createdAt");

    private final SweepService service;
    private final SweepReads runs;

    public SweepRunsResource(SweepService service, SweepReads runs) {
        this.service = service;
        this.runs = runs;
    }

    @GET
        @Operation(operationId = "listRuns", summary = "The runs of a sweep")
    @APIResponse(responseCode = "200", description = "A page of runs")
    @APIResponse(responseCode = "400", description = "Bad paging or sort key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.SWEEP)
    public PageView<RunView> list(@PathParam("id") long sweepId,
            @Parameter(description = "index, state or created; prefix '-' for descending")
            @QueryParam("sort") String sort,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging paging = Paging.of(page, size);
        Sort order = sort(sort);
        SweepEntity sweep = service.get(sweepId);
        List<String> paramOrder = JsonTrees.parameterOrder(sweep.spec);
        PagedResult<RunEntity> result = runs.runs(sweepId, order, paging.page(), paging.size());
        return new PageView<>(result.items().stream().map(r -> RunView.of(r, paramOrder)).toList(),
                result.page(), result.size(), result.total());
    }

    static Sort sort(String sort) {
        String key = sort == null || sort.isBlank() ? "index" : sort;
        boolean descending = key.startsWith("-");
        String column = SORT_COLUMNS.get(descending ? key.substring(1) : key);
        if (column == null) {
            throw new BadInputException("sort", "sort must be one of index, state, created, "
                    + "optionally prefixed with '-'");
        }
        Sort s = descending ? Sort.descending(column) : Sort.ascending(column);
        return column.equals("index") ? s : s.and("index");
    }
}
