package dev.reprise.orchestrator.api;

import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.application.CheckpointService;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.persistence.CheckpointRepository;
import dev.reprise.orchestrator.security.Access;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A run's checkpoints (docs/checkpoints.md): the agent's upload protocol under
 * {@code /attempts/{attempt}/checkpoints/{step}} (the artifact protocol: plan, PUT, commit), the restore listing a
 * later attempt's agent fetches, and the list for users.
 */
@Path("/api/v1/runs/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "checkpoints", description = "Checkpoints that outlive attempts")
public class CheckpointResource {

    private final CheckpointService service;

    public CheckpointResource(CheckpointService service) {
        this.service = service;
    }

    @Schema(name = "Checkpoint", description = "A complete checkpoint: every file stored and verified")
    public record CheckpointView(long runId, long step,
            @Schema(description = "The attempt that wrote it") int attempt,
            @Schema(description = "sha256:<hex> of its canonical manifest") String manifestId, int fileCount,
            long totalBytes, Instant committedAt) {

        static CheckpointView of(CheckpointRepository.Checkpoint c) {
            return new CheckpointView(c.runId(), c.step(), c.attempt(), c.manifestId(), c.fileCount(), c.totalBytes(),
                    c.committedAt());
        }
    }

    @Schema(name = "CheckpointRestore", description = "The newest checkpoint with a presigned GET URL per file; its "
            + "id is the manifest id the files must hash to")
    public record RestoreView(String id, long step, int attempt, int fileCount, long totalBytes, Instant expiresAt,
            List<SnapshotViews.DownloadEntry> entries) {
    }

    @GET
    @Path("/checkpoints")
    @Operation(operationId = "listCheckpoints", summary = "A run's kept checkpoints, newest first")
    @APIResponse(responseCode = "200", description = "The checkpoints",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CheckpointView[].class)))
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN)
    public List<CheckpointView> list(@PathParam("id") long id) {
        return service.list(id).stream().map(CheckpointView::of).toList();
    }

    @POST
    @Path("/attempts/{attempt}/checkpoints/{step}/uploads")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "planCheckpointUploads", summary = "Which checkpoint blobs the store lacks (for the agent)",
            description = "Same as the artifact upload plan, for checkpoint step-{step}: {\"blobs\":[{sha256,size}]}. "
                    + "Refused (422) when the run's kept checkpoints would pass reprise.checkpoints.max-run-size.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SnapshotViews.UploadRequestBody.class)))
    @APIResponse(responseCode = "200", description = "The uploads to make",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SnapshotViews.UploadPlanView.class)))
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "No such attempt",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A blob with a bad hash or size, or over the run's cap",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN, role = Role.MAINTAINER, runToken = true)
    public SnapshotViews.UploadPlanView planUploads(@PathParam("id") long id, @PathParam("attempt") int attempt,
            @PathParam("step") long step, byte[] body) {
        SnapshotRequests.Uploads request = SnapshotRequests.uploads(body);
        return SnapshotViews.UploadPlanView.of(service.planUploads(id, attempt, step, request.blobs()));
    }

    @POST
    @Path("/attempts/{attempt}/checkpoints/{step}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "commitCheckpoint", summary = "Record a complete checkpoint (for the agent)",
            description = "{\"manifest\":{\"entries\":[{path,size,sha256,mode}]}}, paths relative to step-{step}/: "
                    + "recorded once every blob is in the store with its size and the run's own, and the manifest "
                    + "lists the COMPLETE marker. The newest reprise.checkpoints.keep checkpoints are kept.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ArtifactResource.ArtifactCommitBody.class)))
    @APIResponse(responseCode = "200", description = "Recorded",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CheckpointView.class)))
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "No such attempt",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A bad path, blobs missing, no COMPLETE marker, over the cap",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN, role = Role.MAINTAINER, runToken = true)
    public CheckpointView commit(@PathParam("id") long id, @PathParam("attempt") int attempt,
            @PathParam("step") long step, byte[] body) {
        List<ManifestEntry> entries = SnapshotRequests.manifestEntries(body);
        return CheckpointView.of(service.commit(id, attempt, step, entries));
    }

    @GET
    @Path("/attempts/{attempt}/checkpoints/latest")
    @Operation(operationId = "latestCheckpoint", summary = "The run's newest checkpoint to restore (for the agent)",
            description = "The newest complete checkpoint of the run, written by any attempt, with a presigned GET URL "
                    + "per file: the agent verifies every byte against the manifest before the command starts.")
    @APIResponse(responseCode = "200", description = "The checkpoint",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RestoreView.class)))
    @APIResponse(responseCode = "404", description = "No such run, or it has no checkpoint",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN, role = Role.MAINTAINER, runToken = true)
    public RestoreView latest(@PathParam("id") long id, @PathParam("attempt") int attempt) {
        CheckpointService.Restore r = service.latest(id, attempt);
        return new RestoreView(r.checkpoint().manifestId(), r.checkpoint().step(), r.checkpoint().attempt(),
                r.manifest().fileCount(), r.manifest().totalBytes(), r.expiresAt(), r.manifest().entries().stream()
                .map(e -> new SnapshotViews.DownloadEntry(e.path(), e.size(), e.sha256(), e.mode(),
                        r.urls().get(e.sha256())))
                .toList());
    }

    @POST
    @Path("/attempts/{attempt}/checkpoints/{step}/restored")
    @Operation(operationId = "checkpointRestored", summary = "Record that the attempt resumed from a checkpoint "
            + "(for the agent)",
            description = "Called once every file verified: the attempt's metric series continues after {step}.")
    @APIResponse(responseCode = "200", description = "Recorded",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CheckpointView.class)))
    @APIResponse(responseCode = "404", description = "No such run or checkpoint",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "No such attempt",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN, role = Role.MAINTAINER, runToken = true)
    public CheckpointView restored(@PathParam("id") long id, @PathParam("attempt") int attempt,
            @PathParam("step") long step) {
        return CheckpointView.of(service.restored(id, attempt, step));
    }
}
