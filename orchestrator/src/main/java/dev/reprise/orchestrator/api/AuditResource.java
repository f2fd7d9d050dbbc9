package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.application.AccessAdmin;
import dev.reprise.orchestrator.persistence.AuditRepository;
import dev.reprise.orchestrator.persistence.PagedResult;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.security.CallerContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "security")
public class AuditResource {

    private final AccessAdmin entries;
    private final CallerContext callers;

    public AuditResource(AccessAdmin entries, CallerContext callers) {
        this.entries = entries;
        this.callers = callers;
    }

    @GET
    @Operation(operationId = "listAudit", summary = "The audit log, newest first",
            description = "Maintainers see the entries of their projects; admins of every project see all.")
    @APIResponse(responseCode = "200", description = "A page of entries")
    @APIResponse(responseCode = "400", description = "Bad filter or paging",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.ANY_PROJECT, role = Role.MAINTAINER)
    @Transactional
    public PageView<SecurityViews.AuditEntryView> list(@QueryParam("project") String project,
            @QueryParam("actor") String actor,
            @Parameter(description = "e.g. sweep.submit, token.revoke") @QueryParam("action") String action,
            @Parameter(description = "e.g. sweep:42, token:7") @QueryParam("target") String target,
            @Parameter(description = "ISO-8601 instant, inclusive") @QueryParam("since") String since,
            @Parameter(description = "ISO-8601 instant, exclusive") @QueryParam("until") String until,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging paging = Paging.of(page, size);
        Caller caller = callers.caller();
        Set<String> projects = null;
        if (caller.globalRole() == null || !caller.globalRole().atLeast(Role.MAINTAINER)) {
            projects = caller.projectRoles().entrySet().stream()
                    .filter(e -> e.getValue().atLeast(Role.MAINTAINER)).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
        }
        PagedResult<AuditRepository.Entry> result = entries.auditLog(new AuditRepository.Filter(projects, project, actor,
                action, target, instant(since, "since"), instant(until, "until")), paging.page(), paging.size());
        return new PageView<>(result.items().stream().map(SecurityViews.AuditEntryView::of).toList(),
                result.page(), result.size(), result.total());
    }

    private static Instant instant(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new BadInputException(field, field + " must be an ISO-8601 instant such as "
                    + "2026-01-31T12:00:00Z");
        }
    }
}
