package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.application.AccessAdmin;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.security.AuditLog;
import dev.reprise.orchestrator.security.CallerContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/projects/{project}/members")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "security")
public class MemberResource {

    private static final Pattern SUBJECT = Pattern.compile("[^\\p{Cntrl}]{1,256}");

    private final AccessAdmin members;
    private final CallerContext callers;
    private final AuditLog audit;

    public MemberResource(AccessAdmin members, CallerContext callers, AuditLog audit) {
        this.members = members;
        this.callers = callers;
        this.audit = audit;
    }

    @GET
    @Operation(operationId = "listMembers", summary = "The project's members and their roles")
    @APIResponse(responseCode = "200", description = "The members")
    @Access(on = Access.Scope.PROJECT_PATH, role = Role.MAINTAINER)
    @Transactional
    public List<SecurityViews.MemberView> list(
            @Parameter(description = "A project name, or * for roles in every project") @PathParam("project")
            String project) {
        return members.members(project).stream().map(SecurityViews.MemberView::of).toList();
    }

    @PUT
    @Path("/{subject}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putMember", summary = "Add a member or change its role",
            description = "The subject is the OIDC subject (principal claim) of a person.")
    @APIResponse(responseCode = "200", description = "The membership")
    @APIResponse(responseCode = "400", description = "Bad role or subject",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.PROJECT_PATH, role = Role.ADMIN)
    @Transactional
    public SecurityViews.MemberView put(@PathParam("project") String project, @PathParam("subject") String subject,
            SecurityViews.MemberRequest request) {
        Role role = SecurityViews.role(request == null ? null : request.role(), "role");
        if (!SUBJECT.matcher(subject).matches()) {
            throw new BadInputException("subject", "subject must be 1 to 256 printable characters");
        }
        String by = callers.caller().subject();
        String previous = members.putMember(project, subject, role.wireName(), by);
        Map<String, Object> detail = new HashMap<>();
        detail.put("role", role.wireName());
        if (previous != null) {
            detail.put("previous_role", previous);
        }
        audit.record(AuditLog.Action.MEMBER_PUT, project, "member:" + subject, detail);
        return members.members(project).stream().filter(m -> m.subject().equals(subject)).findFirst()
                .map(SecurityViews.MemberView::of).orElseThrow();
    }

    @DELETE
    @Path("/{subject}")
    @Operation(operationId = "removeMember", summary = "Remove a member from the project")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No such member",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.PROJECT_PATH, role = Role.ADMIN)
    @Transactional
    public Response remove(@PathParam("project") String project, @PathParam("subject") String subject) {
        if (!members.removeMember(project, subject)) {
            throw new NotFoundException("member", subject + " of project " + project);
        }
        audit.record(AuditLog.Action.MEMBER_REMOVE, project, "member:" + subject, Map.of());
        return Response.noContent().build();
    }
}
