package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.domain.spec.SecretRef;
import dev.reprise.orchestrator.persistence.ProjectSecrets;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The project's local secret store, which sweeps reference as {@code env: {HF_TOKEN: {secret: NAME, key: KEY}}} on the
 * local executor. Write-only: values go in and never come back from any endpoint; the list shows names and keys.
 */
@Path("/api/v1/projects/{project}/secrets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "security")
public class SecretResource {

    static final int MAX_KEYS = 64;
    static final int MAX_VALUE = 32768;

    @Schema(name = "SecretRequest")
    public record SecretRequest(
            @Schema(description = "The secret's keys and their values (replaces what the secret held)",
                    required = true) Map<String, String> data) {
    }

    @Schema(name = "Secret", description = "A secret of the local store, without its values")
    public record SecretView(String project, String name, List<String> keys, Instant createdAt, String createdBy,
            Instant updatedAt, String updatedBy) {
        static SecretView of(ProjectSecrets.Stored s) {
            return new SecretView(s.project(), s.name(), s.keys(), s.createdAt(), s.createdBy(), s.updatedAt(),
                    s.updatedBy());
        }
    }

    private final ProjectSecrets secrets;
    private final CallerContext callers;
    private final AuditLog audit;

    public SecretResource(ProjectSecrets secrets, CallerContext callers, AuditLog audit) {
        this.secrets = secrets;
        this.callers = callers;
        this.audit = audit;
    }

    @GET
    @Operation(operationId = "listSecrets", summary = "The project's secrets: names and keys, never values")
    @APIResponse(responseCode = "200", description = "The secrets")
    @Access(on = Access.Scope.PROJECT_PATH, role = Role.MEMBER)
    @Transactional
    public List<SecretView> list(@Parameter(description = "A project name") @PathParam("project") String project) {
        return secrets.list(project).stream().map(SecretView::of).toList();
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putSecret", summary = "Create or replace a secret of the local store",
            description = "Sweeps of the project reference it in env as {secret: NAME, key: KEY}; the local executor "
                    + "puts the value into the trial's environment when it starts. The values are never returned.")
    @APIResponse(responseCode = "200", description = "The secret, without its values")
    @APIResponse(responseCode = "400", description = "Bad name, key or value",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.PROJECT_PATH, role = Role.MAINTAINER)
    @Transactional
    public SecretView put(@PathParam("project") String project, @PathParam("name") String name,
            SecretRequest request) {
        if (name.length() > SecretRef.MAX_LENGTH || !SecretRef.NAME.matcher(name).matches()) {
            throw new BadInputException("name", "name " + SecretRef.NAME_HINT + " (at most " + SecretRef.MAX_LENGTH
                    + " characters)");
        }
        if (request == null || request.data() == null || request.data().isEmpty()) {
            throw new BadInputException("data", "data must hold at least one key and its value");
        }
        if (request.data().size() > MAX_KEYS) {
            throw new BadInputException("data", "a secret holds at most " + MAX_KEYS + " keys");
        }
        Map<String, String> data = new TreeMap<>();
        request.data().forEach((key, value) -> {
            if (key.length() > SecretRef.MAX_LENGTH || !SecretRef.KEY.matcher(key).matches()) {
                throw new BadInputException("data." + key, "key " + SecretRef.KEY_HINT);
            }
            if (value == null || value.isEmpty() || value.length() > MAX_VALUE) {
                throw new BadInputException("data." + key, "the value must be 1 to " + MAX_VALUE + " characters");
            }
            data.put(key, value);
        });
        boolean replaced = secrets.put(project, name, data, callers.caller().subject());
        // the audit names the keys, never a value
        audit.record(AuditLog.Action.SECRET_PUT, project, "secret:" + name,
                Map.of("keys", List.copyOf(data.keySet()), "replaced", replaced));
        return secrets.list(project).stream().filter(s -> s.name().equals(name)).findFirst().map(SecretView::of)
                .orElseThrow();
    }

    @DELETE
    @Path("/{name}")
    @Operation(operationId = "removeSecret", summary = "Remove a secret of the local store",
            description = "Trials that start afterwards and reference it fail; running ones keep their environment.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No such secret",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.PROJECT_PATH, role = Role.MAINTAINER)
    @Transactional
    public Response remove(@PathParam("project") String project, @PathParam("name") String name) {
        if (!secrets.remove(project, name)) {
            throw new NotFoundException("secret", name + " of project " + project);
        }
        audit.record(AuditLog.Action.SECRET_REMOVE, project, "secret:" + name, Map.of());
        return Response.noContent().build();
    }
}
