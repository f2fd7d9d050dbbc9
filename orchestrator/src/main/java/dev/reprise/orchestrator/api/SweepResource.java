package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.security.AuditLog;
import dev.reprise.orchestrator.security.CallerContext;
import dev.reprise.orchestrator.application.SweepControl;
import dev.reprise.orchestrator.application.SweepReads;
import dev.reprise.orchestrator.application.SweepService;
import dev.reprise.orchestrator.domain.run.SweepAction;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.run.SweepStatus;
import dev.reprise.orchestrator.persistence.PagedResult;
import dev.reprise.orchestrator.persistence.SweepEntity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/sweeps")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sweeps", description = "Submit, list and control sweeps")
public class SweepResource {

    static final String YAML = "application/yaml";

    private final SweepService service;
    private final SweepControl control;
    private final SweepReads sweeps;
    private final SweepDocumentReader reader;
    private final CallerContext callers;
    private final AuditLog audit;

    public SweepResource(SweepService service, SweepControl control, SweepReads sweeps,
            SweepDocumentReader reader, CallerContext callers, AuditLog audit) {
        this.service = service;
        this.control = control;
        this.sweeps = sweeps;
        this.reader = reader;
        this.callers = callers;
        this.audit = audit;
    }

    @POST
    @Consumes({YAML, "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON})
    @Operation(operationId = "submitSweep", summary = "Submit a sweep",
            description = "Validates the sweep document, expands it into runs and stores both, or stores nothing.")
    @RequestBody(required = true, content = {
        @Content(mediaType = YAML, schema = @Schema(implementation = String.class,
                description = "A sweep document; see sweep.schema.json")),
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Object.class,
                description = "A sweep document; see sweep.schema.json"))})
    @APIResponse(responseCode = "201", description = "Stored; the body is the new sweep",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SweepView.class)))
    @APIResponse(responseCode = "400", description = "Malformed document or over a parser limit",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "A sweep of that name exists in the project",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body larger than the limit (1 MiB by default)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The sweep breaks the spec's rules; errors name each field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.ANY_PROJECT, role = Role.MEMBER, rateLimited = true)
    public Response submit(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Parameter(description = "Overrides the document's project") @QueryParam("project") String project,
            @Parameter(description = "The git repository the client submits from (recorded when the document has "
                    + "no git field; the CLI sends it from the working tree)") @QueryParam("gitRepo") String gitRepo,
            @Parameter(description = "The commit checked out (7 to 40 lower-case hex digits)")
            @QueryParam("gitCommit") String gitCommit,
            @Parameter(description = "The branch checked out") @QueryParam("gitBranch") String gitBranch,
            @Parameter(description = "Whether the working tree had uncommitted changes")
            @QueryParam("gitDirty") Boolean gitDirty,
            UriInfo uri) {
        SpecFormat format = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")
                ? SpecFormat.JSON : SpecFormat.YAML;
        Object tree = reader.read(body, format);
        Map<String, Object> git = new java.util.LinkedHashMap<>();
        if (gitRepo != null) {
            git.put("repo", gitRepo);
        }
        if (gitCommit != null) {
            git.put("commit", gitCommit);
        }
        if (gitBranch != null) {
            git.put("branch", gitBranch);
        }
        if (gitDirty != null) {
            git.put("dirty", gitDirty);
        }
        SweepService.Submitted submitted = service.submit(tree, body, format.wireName(),
                SweepService.Origin.of(project, git.isEmpty() ? null : git), callers.caller());
        SweepEntity sweep = submitted.sweep();
        audit.record(AuditLog.Action.SWEEP_SUBMIT, sweep.project.name, "sweep:" + sweep.id,
                Map.of("name", sweep.name, "runs", submitted.runCount()));
        SweepView view = SweepView.summary(sweep, Map.of(RunState.QUEUED, (long) submitted.runCount()));
        return Response.created(uri.getBaseUriBuilder().path("api/v1/sweeps/{id}").build(sweep.id))
                .entity(view).build();
    }

    @GET
    @Operation(operationId = "listSweeps", summary = "List sweeps, newest first")
    @APIResponse(responseCode = "200", description = "A page of sweeps")
    @APIResponse(responseCode = "400", description = "Bad paging or filter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.ANY_PROJECT)
    public PageView<SweepView> list(@QueryParam("project") String project, @QueryParam("status") String status,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging paging = Paging.of(page, size);
        PagedResult<SweepEntity> result = sweeps.page(callers.caller().visibleProjects().orElse(null), project,
                parseStatus(status), paging.page(), paging.size());
        Map<Long, Map<RunState, Long>> counts = sweeps.runCounts(
                result.items().stream().map(s -> s.id).toList());
        List<SweepView> items = result.items().stream()
                .map(s -> SweepView.summary(s, counts.get(s.id)))
                .toList();
        return new PageView<>(items, result.page(), result.size(), result.total());
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getSweep",
            summary = "One sweep, with its normalised spec, submitted text and best run so far")
    @APIResponse(responseCode = "200", description = "The sweep",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SweepView.class)))
    @APIResponse(responseCode = "404", description = "No such sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.SWEEP)
    public SweepView get(@PathParam("id") long id) {
        SweepEntity sweep = service.get(id);
        return SweepView.detail(sweep, sweeps.runCounts(List.of(id)).get(id),
                SweepTableView.BestRunView.of(sweeps.best(List.of(id)).get(id)));
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(operationId = "cancelSweep", summary = "Cancel a sweep",
            description = "No new trials start; every queued or running run becomes CANCELLED.")
    @APIResponse(responseCode = "200", description = "The cancelled sweep",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SweepView.class)))
    @APIResponse(responseCode = "404", description = "No such sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The sweep already ended",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.SWEEP, role = Role.MAINTAINER, ownerRole = Role.MEMBER)
    public SweepView cancel(@PathParam("id") long id) {
        return control(id, new SweepAction.Cancel(), AuditLog.Action.SWEEP_CANCEL, Map.of());
    }

    @POST
    @Path("/{id}/pause")
    @Operation(operationId = "pauseSweep", summary = "Pause a sweep",
            description = "No new trials start; running trials finish. Resume continues where it stopped.")
    @APIResponse(responseCode = "200", description = "The paused sweep",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SweepView.class)))
    @APIResponse(responseCode = "404", description = "No such sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The sweep already ended",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.SWEEP, role = Role.MAINTAINER, ownerRole = Role.MEMBER)
    public SweepView pause(@PathParam("id") long id) {
        return control(id, new SweepAction.Pause(), AuditLog.Action.SWEEP_PAUSE, Map.of());
    }

    @POST
    @Path("/{id}/resume")
    @Operation(operationId = "resumeSweep", summary = "Resume a paused sweep")
    @APIResponse(responseCode = "200", description = "The resumed sweep",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SweepView.class)))
    @APIResponse(responseCode = "404", description = "No such sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The sweep already ended (extend it instead)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.SWEEP, role = Role.MAINTAINER, ownerRole = Role.MEMBER)
    public SweepView resume(@PathParam("id") long id) {
        return control(id, new SweepAction.Resume(), AuditLog.Action.SWEEP_RESUME, Map.of());
    }

    /** The body of an extend request. */
    @Schema(name = "ExtendRequest")
    public record ExtendRequest(@com.fasterxml.jackson.annotation.JsonProperty("max_trials") Integer maxTrials) {
    }

    @POST
    @Path("/{id}/extend")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "extendSweep", summary = "Raise a sweep's max_trials",
            description = "Grid sweeps up to their grid size; random sweeps get the next trials of their seed "
                    + "(earlier ones unchanged); bayes sweeps get more suggestions. A sweep that ended is reopened.")
    @APIResponse(responseCode = "200", description = "The extended sweep",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SweepView.class)))
    @APIResponse(responseCode = "404", description = "No such sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The sweep was cancelled",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "max_trials not above the current value, or beyond the grid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.SWEEP, role = Role.MAINTAINER, ownerRole = Role.MEMBER)
    public SweepView extend(@PathParam("id") long id, ExtendRequest request) {
        if (request == null || request.maxTrials() == null) {
            throw new dev.reprise.orchestrator.domain.error.InvalidSweepException(List.of(
                    new dev.reprise.orchestrator.domain.error.FieldError("max_trials", "is required")));
        }
        return control(id, new SweepAction.Extend(request.maxTrials()), AuditLog.Action.SWEEP_EXTEND,
                Map.of("max_trials", request.maxTrials()));
    }

    /** The body of a retry request: {@code {"failed": true}} or {@code {"runIds": [...]}}. */
    @Schema(name = "RetryRequest")
    public record RetryRequest(
            @Schema(description = "Retry every failed, lost or cancelled run of the sweep") Boolean failed,
            @Schema(description = "Retry these runs of the sweep (each must have failed, been lost or cancelled)")
            List<Long> runIds) {
    }

    @Schema(name = "RetriedRun", description = "A run queued again: same index, parameters and seed, a new attempt")
    public record RetriedRunView(long id, int index, int attempt, Long seed) {
    }

    @Schema(name = "SweepRetry", description = "The sweep after the retry and the runs queued again")
    public record RetryView(SweepView sweep, List<RetriedRunView> retried) {
    }

    @POST
    @Path("/{id}/retry")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "retrySweep", summary = "Retry failed, lost or cancelled runs in place",
            description = "Each chosen run gets a new attempt with the same index, parameters and seed, resuming from "
                    + "its newest checkpoint when it has one (docs/checkpoints.md); a sweep that ended is reopened and "
                    + "finishes again. {\"failed\": true} retries every failed, lost or cancelled run (none: nothing "
                    + "changes); {\"runIds\": [...]} the runs named, refused whole (409, each run's field path) when "
                    + "one of them succeeded, was stopped early or has not ended.")
    @APIResponse(responseCode = "200", description = "The runs queued again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RetryView.class)))
    @APIResponse(responseCode = "404", description = "No such sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The sweep was cancelled, or a named run cannot be retried",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Neither or both of failed and runIds, or a run of another sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.SWEEP, role = Role.MAINTAINER, ownerRole = Role.MEMBER)
    public RetryView retry(@PathParam("id") long id, RetryRequest request) {
        SweepAction.Retry action = new SweepAction.Retry(request != null && Boolean.TRUE.equals(request.failed()),
                request == null || request.runIds() == null ? List.of() : request.runIds());
        SweepControl.Controlled done = control.apply(id, action);
        audit.record(AuditLog.Action.SWEEP_RETRY, done.sweep().project.name, "sweep:" + id,
                Map.of("runs", done.retried().stream().map(r -> r.id + "/" + r.attempt).toList()));
        return new RetryView(SweepView.summary(done.sweep(), done.runCounts()), done.retried().stream()
                .map(r -> new RetriedRunView(r.id, r.index, r.attempt, r.seed)).toList());
    }

    /** Every control goes the same way: the application applies it, the audit log records it, the view shows it. */
    private SweepView control(long id, SweepAction action, AuditLog.Action audited, Map<String, ?> detail) {
        SweepControl.Controlled done = control.apply(id, action);
        audit.record(audited, done.sweep().project.name, "sweep:" + id, detail);
        return SweepView.summary(done.sweep(), done.runCounts());
    }

    private static SweepStatus parseStatus(String status) {
        if (status == null) {
            return null;
        }
        try {
            return SweepStatus.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("status", "status must be one of "
                    + java.util.Arrays.toString(SweepStatus.values()));
        }
    }
}
