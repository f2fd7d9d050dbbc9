package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.security.AuditLog;
import dev.reprise.orchestrator.security.CallerContext;
import dev.reprise.api.snapshots.SnapshotRef;
import dev.reprise.orchestrator.persistence.PagedResult;
import dev.reprise.orchestrator.application.SnapshotService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Content-addressed data snapshots. A push asks which blobs the store lacks ({@code POST /uploads}), uploads them
 * straight to the store with the presigned URLs it gets back, then commits the manifest ({@code POST}), which is
 * refused while any blob it lists is missing.
 */
@Path("/api/v1/snapshots")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "snapshots", description = "Content-addressed data snapshots: push, list, download, delete")
public class SnapshotResource {

    private static final String REF_DESCRIPTION = "name (tag latest), name:tag, or the id sha256:<64 hex>";

    private final SnapshotService service;
    private final CallerContext callers;
    private final AuditLog audit;

    public SnapshotResource(SnapshotService service, CallerContext callers, AuditLog audit) {
        this.service = service;
        this.callers = callers;
        this.audit = audit;
    }

    @POST
    @Path("/uploads")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "planSnapshotUploads", summary = "Ask which blobs the store lacks",
            description = "Answers with a presigned PUT URL for each blob (and the manifest) the store does not have; "
                    + "each URL accepts only the bytes with that SHA-256 (signed x-amz-checksum-sha256 header).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SnapshotViews.UploadRequestBody.class)))
    @APIResponse(responseCode = "200", description = "The uploads to make",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SnapshotViews.UploadPlanView.class)))
    @APIResponse(responseCode = "400", description = "Not a JSON object",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Bad hashes or sizes; errors name each field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The object store is unavailable",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.ANY_PROJECT, role = Role.MEMBER)
    public SnapshotViews.UploadPlanView planUploads(byte[] body) {
        SnapshotRequests.Uploads request = SnapshotRequests.uploads(body);
        return SnapshotViews.UploadPlanView.of(service.planUploads(request.blobs(), request.manifest()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "commitSnapshot", summary = "Commit a snapshot and point name:tag at it",
            description = "Verifies that every blob the manifest lists is in the store with its size, writes the "
                    + "manifest, records the snapshot and moves the tag. Committing the same manifest again only "
                    + "moves the tag.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SnapshotViews.CommitRequestBody.class)))
    @APIResponse(responseCode = "201", description = "A new snapshot was recorded",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SnapshotViews.CommitView.class)))
    @APIResponse(responseCode = "200", description = "The snapshot existed; the tag now points at it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SnapshotViews.CommitView.class)))
    @APIResponse(responseCode = "400", description = "Not a JSON object",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Invalid manifest, name or tag, or blobs missing from the "
            + "store; errors name each entry",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The object store is unavailable",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.ANY_PROJECT, role = Role.MEMBER)
    public Response commit(byte[] body, UriInfo uri) {
        SnapshotService.Committed committed = service.commit(SnapshotRequests.commit(body), callers.caller().subject());
        SnapshotViews.CommitView view = SnapshotViews.CommitView.of(committed);
        if (!committed.created()) {
            return Response.ok(view).build();
        }
        return Response.created(uri.getBaseUriBuilder().path("api/v1/snapshots/{id}").build(view.id()))
                .entity(view).build();
    }

    @GET
    @Operation(operationId = "listSnapshots", summary = "List snapshots, newest first")
    @APIResponse(responseCode = "200", description = "A page of snapshots")
    @APIResponse(responseCode = "400", description = "Bad paging or name",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.ANY_PROJECT)
    public PageView<SnapshotViews.SnapshotView> list(
            @Parameter(description = "Only snapshots a tag of this name points at") @QueryParam("name") String name,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging paging = Paging.of(page, size);
        if (name != null && SnapshotRef.nameProblem(name).isPresent()) {
            throw new BadInputException("name", "name " + SnapshotRef.nameProblem(name).get());
        }
        PagedResult<SnapshotService.Snapshot> result = service.list(name, paging.page(), paging.size());
        return new PageView<>(result.items().stream().map(SnapshotViews.SnapshotView::summary).toList(),
                result.page(), result.size(), result.total());
    }

    @GET
    @Path("/{ref}")
    @Operation(operationId = "getSnapshot", summary = "One snapshot with its files and tags")
    @APIResponse(responseCode = "200", description = "The snapshot",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SnapshotViews.SnapshotView.class)))
    @APIResponse(responseCode = "400", description = "Not a snapshot reference",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such snapshot",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.ANY_PROJECT)
    public SnapshotViews.SnapshotView get(@Parameter(description = REF_DESCRIPTION) @PathParam("ref") String ref) {
        return SnapshotViews.SnapshotView.detail(service.detail(parse(ref)));
    }

    @GET
    @Path("/{ref}/download")
    @Operation(operationId = "downloadSnapshot", summary = "The manifest with a presigned GET URL per file",
            description = "Used by reprise data pull and by the agent. Verify every file against its sha256, and the "
                    + "entries against the id: the canonical manifest of the entries hashes to it.")
    @APIResponse(responseCode = "200", description = "The files and their URLs",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SnapshotViews.DownloadView.class)))
    @APIResponse(responseCode = "400", description = "Not a snapshot reference",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such snapshot",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.ANY_PROJECT, runToken = true)
    public SnapshotViews.DownloadView download(
            @Parameter(description = REF_DESCRIPTION) @PathParam("ref") String ref) {
        return SnapshotViews.DownloadView.of(service.download(parse(ref)));
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteSnapshot", summary = "Delete a snapshot that no run references",
            description = "Removes the snapshot, the tags pointing at it and its manifest. Blobs stay until garbage "
                    + "collection. Only an id is accepted: names are pointers.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", description = "Not a snapshot id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such snapshot",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Runs reference the snapshot",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.ALL_PROJECTS, role = Role.ADMIN)
    public Response delete(@Parameter(description = "sha256:<64 hex>") @PathParam("id") String id) {
        if (!SnapshotRef.isId(id)) {
            throw new BadInputException("id", "delete takes a snapshot id sha256:<64 hex>, not '" + id
                    + "': names are pointers and are moved by pushing");
        }
        service.delete(id);
        audit.record(AuditLog.Action.SNAPSHOT_DELETE, null, "snapshot:" + id, java.util.Map.of());
        return Response.noContent().build();
    }

    private static SnapshotRef parse(String ref) {
        return SnapshotRef.parse(ref).orElseThrow(() -> new BadInputException("ref",
                "'" + ref + "' is not a snapshot reference: use name, name:tag or sha256:<64 hex>"));
    }
}
