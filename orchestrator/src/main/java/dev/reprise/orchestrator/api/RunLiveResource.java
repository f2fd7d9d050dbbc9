package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.application.SweepService;
import dev.reprise.orchestrator.metrics.LiveFeed;
import dev.reprise.orchestrator.metrics.LiveUpdate;
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
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A run's new points as Server-Sent Events, for live charts. Events: {@code points} (data: {runId, points: [{key,
 * attempt, step, seq, value, timestampMillis}]}), {@code finished} (an attempt ended) and {@code ping} every
 * 15 s. Points come after their database commit, at least once: dedupe by (attempt, key, step, seq). To fill a chart,
 * read the series first, then follow this stream.
 */
@Path("/api/v1/runs/{id}/live")
@Tag(name = "metrics")
public class RunLiveResource {

    static final Duration PING = Duration.ofSeconds(15);

    private final SweepService service;
    private final LiveFeed feed;

    public RunLiveResource(SweepService service, LiveFeed feed) {
        this.service = service;
        this.feed = feed;
    }

    @GET
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(operationId = "followRun", summary = "New points and attempt ends of a run, as Server-Sent Events")
    @APIResponse(responseCode = "200", description = "An event stream: points, finished, ping",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS))
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN)
    public Multi<OutboundSseEvent> follow(@PathParam("id") long id,
            @Parameter(description = "Only these keys (repeatable); default: all keys, sys/ included")
            @QueryParam("key") List<String> keys,
            @Context Sse sse) {
        service.getRun(id);
        Set<String> only = keys == null ? Set.of() : Set.copyOf(keys);
        Multi<OutboundSseEvent> updates = feed.follow(id)
                .map(u -> filter(u, only))
                .filter(u -> !(u instanceof LiveUpdate.Points p) || !p.points().isEmpty())
                .map(u -> sse.newEventBuilder()
                        .name(u instanceof LiveUpdate.Points ? "points" : "finished")
                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(u)
                        .build());
        Multi<OutboundSseEvent> pings = Multi.createFrom().ticks().every(PING)
                .map(t -> sse.newEventBuilder().name("ping").data("{}").build());
        return Multi.createBy().merging().streams(updates, pings);
    }

    private static LiveUpdate filter(LiveUpdate u, Set<String> only) {
        if (only.isEmpty() || !(u instanceof LiveUpdate.Points p)) {
            return u;
        }
        return new LiveUpdate.Points(p.runId(), p.points().stream().filter(x -> only.contains(x.key())).toList());
    }
}
