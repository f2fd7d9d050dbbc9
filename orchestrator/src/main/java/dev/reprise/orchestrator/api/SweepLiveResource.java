package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.application.SweepService;
import dev.reprise.orchestrator.metrics.LiveFeed;
import dev.reprise.orchestrator.metrics.LiveUpdate;
import dev.reprise.orchestrator.application.SweepReads;
import dev.reprise.orchestrator.persistence.SweepTableQuery;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * New points of several runs of one sweep in one Server-Sent Events stream, for the sweep page's chart: a browser
 * holds only a few connections per server, so one stream per charted run would starve its other requests. The
 * events are those of {@link RunLiveResource} (points, finished, ping), preceded by {@code ready} once the stream
 * follows every run, so a client knows from when on nothing is missed.
 */
@Path("/api/v1/sweeps/{id}/live")
@Tag(name = "dashboard")
public class SweepLiveResource {

    static final int MAX_RUNS = 50;

    private final SweepService service;
    private final SweepReads query;
    private final LiveFeed feed;

    public SweepLiveResource(SweepService service, SweepReads query, LiveFeed feed) {
        this.service = service;
        this.query = query;
        this.feed = feed;
    }

    @GET
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(operationId = "followSweepRuns",
            summary = "New points and attempt ends of chosen runs of a sweep, as Server-Sent Events")
    @APIResponse(responseCode = "200", description = "An event stream: ready, then points, finished, ping",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS))
    @APIResponse(responseCode = "400", description = "No runs, too many, or a run of another sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.SWEEP)
    public Multi<OutboundSseEvent> follow(@PathParam("id") long sweepId,
            @Parameter(description = "Runs of the sweep to follow (repeatable), 1 to " + MAX_RUNS)
            @QueryParam("run") List<Long> runs,
            @Parameter(description = "Only these keys (repeatable); default: all keys, sys/ included")
            @QueryParam("key") List<String> keys,
            @Context Sse sse) {
        service.get(sweepId);
        Set<Long> ids = new LinkedHashSet<>(runs == null ? List.of() : runs);
        if (ids.isEmpty() || ids.size() > MAX_RUNS) {
            throw new BadInputException("run", "follow 1 to " + MAX_RUNS + " runs of the sweep");
        }
        for (long run : ids) {
            if (query.sweepOfRun(run).filter(s -> s == sweepId).isEmpty()) {
                throw new BadInputException("run", "run " + run + " is not a run of sweep " + sweepId);
            }
        }
        Set<String> only = keys == null ? Set.of() : Set.copyOf(keys);
        List<Multi<LiveUpdate>> feeds = new ArrayList<>();
        ids.forEach(run -> feeds.add(feed.follow(run)));
        Multi<OutboundSseEvent> updates = Multi.createBy().merging().streams(feeds)
                .map(u -> filter(u, only))
                .filter(u -> !(u instanceof LiveUpdate.Points p) || !p.points().isEmpty())
                .map(u -> sse.newEventBuilder()
                        .name(u instanceof LiveUpdate.Points ? "points" : "finished")
                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(u)
                        .build());
        // merging subscribes in order: every run is followed before "ready" goes out
        Multi<OutboundSseEvent> ready = Multi.createFrom().item(() -> sse.newEventBuilder().name("ready")
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(List.copyOf(ids)).build());
        Multi<OutboundSseEvent> pings = Multi.createFrom().ticks().every(RunLiveResource.PING)
                .map(t -> sse.newEventBuilder().name("ping").data("{}").build());
        return Multi.createBy().merging().streams(updates, ready, pings);
    }

    private static LiveUpdate filter(LiveUpdate u, Set<String> only) {
        if (only.isEmpty() || !(u instanceof LiveUpdate.Points p)) {
            return u;
        }
        return new LiveUpdate.Points(p.runId(), p.points().stream().filter(x -> only.contains(x.key())).toList());
    }
}
