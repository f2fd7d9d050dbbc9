package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.domain.scheduling.QueuePolicy;
import dev.reprise.orchestrator.domain.scheduling.QueueUsage;
import dev.reprise.orchestrator.scheduling.Queues;
import dev.reprise.orchestrator.scheduling.SchedulerStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The queues trials wait in (configured on the orchestrator, docs/scheduling.md), with their current use. */
@Path("/api/v1/queues")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "queues")
public class QueueResource {

    private final Queues queues;
    private final SchedulerStore store;

    public QueueResource(Queues queues, SchedulerStore store) {
        this.queues = queues;
        this.store = store;
    }

    @GET
    @Operation(operationId = "listQueues", summary = "Every queue with its limits, placement and current use")
    @APIResponse(responseCode = "200", description = "The queues, in configuration order")
    @Access(on = Access.Scope.ANY_PROJECT)
    public List<QueueView> list() {
        Map<String, QueueUsage> usage = store.usage();
        Map<String, Long> queued = store.queuedByQueue();
        return queues.policies().values().stream()
                .map(p -> view(p, usage, queued))
                .toList();
    }

    @GET
    @Path("/{name}")
    @Operation(operationId = "getQueue", summary = "One queue with its limits, placement and current use")
    @APIResponse(responseCode = "200", description = "The queue",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = QueueView.class)))
    @APIResponse(responseCode = "404", description = "No such queue",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.ANY_PROJECT)
    public QueueView get(@PathParam("name") String name) {
        QueuePolicy policy = queues.find(name).orElseThrow(() -> new NotFoundException("queue", name));
        return view(policy, store.usage(), store.queuedByQueue());
    }

    private QueueView view(QueuePolicy p, Map<String, QueueUsage> usage, Map<String, Long> queued) {
        return QueueView.of(p, usage.get(p.name()), queued.getOrDefault(p.name(), 0L), queues.placement(p.name()),
                queues.projectQuota(p.name()).orElse(null));
    }
}
