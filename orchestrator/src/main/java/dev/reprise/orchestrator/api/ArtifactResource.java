package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.orchestrator.persistence.ArtifactRepository;
import dev.reprise.orchestrator.application.ArtifactService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import dev.reprise.orchestrator.security.AuditLog;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A run's artifacts (its output directory, uploaded by the agent content-addressed) and archived logs: the agent's
 * upload protocol under {@code /attempts/{attempt}/artifacts}, listing and download for users.
 */
@Path("/api/v1/runs/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "artifacts", description = "Run outputs and archived logs in the object store")
public class ArtifactResource {

    private final ArtifactService service;
    private final AuditLog audit;

    public ArtifactResource(ArtifactService service, AuditLog audit) {
        this.service = service;
        this.audit = audit;
    }

    @Schema(name = "ArtifactFile")
    public record FileView(String path, long size, String sha256, int mode) {
    }

    @Schema(name = "ArchivedLog", description = "One attempt's log stream as a gzip text object")
    public record LogView(int attempt, long lines, long bytes, Instant archivedAt,
            @Schema(description = "GET it (a redirect to the object)") String href) {
    }

    @Schema(name = "RunArtifacts")
    public record ListingView(long runId,
            @Schema(description = "The attempt listed (the newest that uploaded artifacts); null when none did")
            Integer attempt,
            @Schema(description = "sha256:<hex> of the attempt's canonical manifest") String manifestId,
            Integer fileCount, Long totalBytes, Instant committedAt, List<FileView> files, List<LogView> logs) {
    }

    @Schema(name = "ArtifactCommitRequest")
    public record ArtifactCommitBody(SnapshotViews.ManifestBody manifest) {
    }

    @Schema(name = "ArtifactCommit")
    public record CommitView(long runId, int attempt, String manifestId, int fileCount, long totalBytes,
            Instant committedAt) {
    }

    @GET
    @Path("/artifacts")
    @Operation(operationId = "listArtifacts", summary = "A run's artifacts and archived logs",
            description = "The files the agent uploaded from REPRISE_OUTPUT_DIR for one attempt (default: the newest "
                    + "that uploaded any), by path, and every archived attempt log.")
    @APIResponse(responseCode = "200", description = "The listing",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ListingView.class)))
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN)
    public ListingView list(@PathParam("id") long id,
            @Parameter(description = "Attempt (default: the newest with artifacts)") @QueryParam("attempt")
            Integer attempt) {
        ArtifactService.Listing l = service.list(id, attempt);
        List<LogView> logs = l.logs().stream().map(g -> new LogView(g.attempt(), g.lines(), g.bytes(),
                g.archivedAt(), "/api/v1/runs/" + id + "/logs/archive?attempt=" + g.attempt())).toList();
        List<FileView> files = l.files().stream().map(f -> new FileView(f.path(), f.size(), f.sha256(), f.mode()))
                .toList();
        return l.set().map(s -> new ListingView(id, s.attempt(), s.manifestId(), s.fileCount(), s.totalBytes(),
                s.committedAt(), files, logs)).orElse(new ListingView(id, null, null, null, null, null, files, logs));
    }

    @GET
    @Path("/artifacts/{path: .+}")
    @Operation(operationId = "downloadArtifact", summary = "Download one artifact",
            description = "Redirects (307) to a short-lived presigned URL of the file's content in the object store.")
    @APIResponse(responseCode = "307", description = "Location: the file's content")
    @APIResponse(responseCode = "400", description = "A path that could escape (.., absolute, control characters)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such run, attempt or file",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN)
    public Response download(@PathParam("id") long id, @PathParam("path") String path,
            @Parameter(description = "Attempt (default: the newest with artifacts)") @QueryParam("attempt")
            Integer attempt) {
        return Response.temporaryRedirect(URI.create(service.downloadUrl(id, attempt, path))).build();
    }

    @GET
    @Path("/logs/archive")
    @Produces({MediaType.APPLICATION_JSON, "application/gzip"})
    @Operation(operationId = "downloadLogArchive", summary = "Download an attempt's archived log",
            description = "Redirects (307) to the gzip text object: lines in shipping order, stderr lines prefixed "
                    + "with \"[stderr] \".")
    @APIResponse(responseCode = "307", description = "Location: the archived log")
    @APIResponse(responseCode = "404", description = "No such run, or the attempt's log is not archived (yet)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN)
    public Response logArchive(@PathParam("id") long id,
            @Parameter(description = "Attempt (default 0)") @QueryParam("attempt") Integer attempt) {
        return Response.temporaryRedirect(URI.create(service.logUrl(id, attempt == null ? 0 : attempt))).build();
    }

    @POST
    @Path("/attempts/{attempt}/artifacts/uploads")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "planArtifactUploads", summary = "Which artifact blobs the store lacks (for the agent)",
            description = "Same as POST /api/v1/snapshots/uploads, for one run attempt: {\"blobs\":[{sha256,size}]}.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SnapshotViews.UploadRequestBody.class)))
    @APIResponse(responseCode = "200", description = "The uploads to make",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SnapshotViews.UploadPlanView.class)))
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "No such attempt",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A blob with a bad hash or size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN, role = Role.MAINTAINER, runToken = true)
    public SnapshotViews.UploadPlanView planUploads(@PathParam("id") long id, @PathParam("attempt") int attempt,
            byte[] body) {
        SnapshotRequests.Uploads request = SnapshotRequests.uploads(body);
        return SnapshotViews.UploadPlanView.of(service.planUploads(id, attempt, request.blobs()));
    }

    @POST
    @Path("/attempts/{attempt}/artifacts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "commitArtifacts", summary = "Record an attempt's artifacts (for the agent)",
            description = "{\"manifest\":{\"entries\":[{path,size,sha256,mode}]}}: checked like a snapshot "
                    + "manifest (paths, every blob present with its size); replaces an earlier commit of the attempt.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ArtifactCommitBody.class)))
    @APIResponse(responseCode = "200", description = "Recorded",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CommitView.class)))
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "No such attempt",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A bad path, or blobs missing from the store",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.RUN, role = Role.MAINTAINER, runToken = true)
    public CommitView commit(@PathParam("id") long id, @PathParam("attempt") int attempt, byte[] body) {
        List<ManifestEntry> entries = SnapshotRequests.manifestEntries(body);
        ArtifactRepository.ArtifactSet s = service.commit(id, attempt, entries);
        audit.record(AuditLog.Action.ARTIFACT_COMMIT, service.projectOf(id), "run:" + id + "/" + attempt,
                Map.of("manifest", s.manifestId(), "files", s.fileCount(), "bytes", s.totalBytes()));
        return new CommitView(id, attempt, s.manifestId(), s.fileCount(), s.totalBytes(), s.committedAt());
    }
}
