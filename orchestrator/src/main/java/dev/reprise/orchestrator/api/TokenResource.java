package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.persistence.ApiTokenEntity;
import dev.reprise.orchestrator.application.AccessAdmin;
import dev.reprise.orchestrator.persistence.PagedResult;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.security.ApiTokens;
import dev.reprise.orchestrator.security.AuditLog;
import dev.reprise.orchestrator.security.CallerContext;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "security", description = "API tokens, project members, sessions and the audit log")
public class TokenResource {

    private final ApiTokens tokens;
    private final AccessAdmin repository;
    private final CallerContext callers;
    private final AuditLog audit;

    public TokenResource(ApiTokens tokens, AccessAdmin repository, CallerContext callers, AuditLog audit) {
        this.tokens = tokens;
        this.repository = repository;
        this.callers = callers;
        this.audit = audit;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createToken", summary = "Create an API token for a project and role",
            description = "The answer holds the secret; it is never shown again (only its SHA-256 is stored).")
    @APIResponse(responseCode = "201", description = "Created, with the secret",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SecurityViews.TokenView.class)))
    @APIResponse(responseCode = "403", description = "Not a maintainer of the project, or a role above the caller's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Bad project, role or lifetime",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.ANY_PROJECT, role = Role.MAINTAINER)
    public Response create(SecurityViews.TokenRequest request, UriInfo uri) {
        SecurityViews.TokenRequest r = request == null ? new SecurityViews.TokenRequest(null, null, null, null, null)
                : request;
        ApiTokens.Created created = tokens.create(callers.caller(), r.project(), r.role(), r.expiresIn(), r.name(),
                r.subject());
        ApiTokenEntity t = created.token();
        audit.record(AuditLog.Action.TOKEN_CREATE, t.project, "token:" + t.id,
                Map.of("role", t.role, "expires_at", t.expiresAt.toString()));
        return Response.created(uri.getBaseUriBuilder().path("api/v1/tokens/{id}").build(t.id))
                .entity(SecurityViews.TokenView.of(t, created.secret())).build();
    }

    @GET
    @Operation(operationId = "listTokens", summary = "API tokens of the projects the caller maintains, newest first")
    @APIResponse(responseCode = "200", description = "A page of tokens, without secrets")
    @Access(on = Access.Scope.ANY_PROJECT, role = Role.MAINTAINER)
    public PageView<SecurityViews.TokenView> list(@QueryParam("project") String project,
            @QueryParam("all") boolean all, @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging paging = Paging.of(page, size);
        Caller caller = callers.caller();
        Set<String> projects = null;
        if (caller.globalRole() == null || !caller.globalRole().atLeast(Role.MAINTAINER)) {
            projects = caller.projectRoles().entrySet().stream()
                    .filter(e -> e.getValue().atLeast(Role.MAINTAINER)).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
        }
        if (project != null && !project.isBlank()) {
            projects = projects == null || projects.contains(project) ? Set.of(project) : Set.of();
        }
        PagedResult<ApiTokenEntity> result = repository.tokens(projects, all, paging.page(), paging.size());
        List<SecurityViews.TokenView> items = result.items().stream().map(t -> SecurityViews.TokenView.of(t, null))
                .toList();
        return new PageView<>(items, result.page(), result.size(), result.total());
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "revokeToken", summary = "Revoke an API token (and the sessions made from it)")
    @APIResponse(responseCode = "204", description = "Revoked (or already revoked)")
    @APIResponse(responseCode = "404", description = "No such token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.TOKEN, role = Role.MAINTAINER, ownerRole = Role.MEMBER)
    public Response revoke(@PathParam("id") long id) {
        ApiTokenEntity t = tokens.revoke(callers.caller(), id);
        audit.record(AuditLog.Action.TOKEN_REVOKE, t.project, "token:" + id, Map.of());
        return Response.noContent().build();
    }
}
