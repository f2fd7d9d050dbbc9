package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.security.CallerContext;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.run.SweepStatus;
import dev.reprise.orchestrator.persistence.PagedResult;
import dev.reprise.orchestrator.application.SweepReads;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.SweepTableQuery;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The sweeps list of the dashboard: each sweep with its run counts and its best run so far. */
@Path("/api/v1/sweeps/overview")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard")
public class SweepOverviewResource {

    private final SweepReads sweeps;

    private final CallerContext callers;

    public SweepOverviewResource(SweepReads sweeps, CallerContext callers) {
        this.callers = callers;
        this.sweeps = sweeps;
    }

    @GET
    @Operation(operationId = "listSweepOverviews", summary = "Sweeps, newest first, each with its best run so far")
    @APIResponse(responseCode = "200", description = "A page of sweeps")
    @APIResponse(responseCode = "400", description = "Bad paging or filter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.ANY_PROJECT)
    public PageView<SweepOverviewView> list(@QueryParam("project") String project,
            @QueryParam("status") String status, @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        Paging paging = Paging.of(page, size);
        PagedResult<SweepEntity> result = sweeps.page(callers.caller().visibleProjects().orElse(null), project,
                status(status), paging.page(), paging.size());
        List<Long> ids = result.items().stream().map(s -> s.id).toList();
        Map<Long, Map<RunState, Long>> counts = sweeps.runCounts(ids);
        Map<Long, SweepTableQuery.Best> best = sweeps.best(ids);
        List<SweepOverviewView> items = result.items().stream()
                .map(s -> new SweepOverviewView(SweepView.summary(s, counts.get(s.id)),
                        SweepTableView.BestRunView.of(best.get(s.id))))
                .toList();
        return new PageView<>(items, result.page(), result.size(), result.total());
    }

    private static SweepStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return SweepStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("status", "status must be one of "
                    + Arrays.toString(SweepStatus.values()));
        }
    }
}
