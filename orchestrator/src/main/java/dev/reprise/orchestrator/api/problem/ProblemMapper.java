package dev.reprise.orchestrator.api.problem;

import dev.reprise.orchestrator.domain.error.ProblemException;
import dev.reprise.orchestrator.domain.error.ProblemType;
import dev.reprise.orchestrator.domain.security.SecretRedactor;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become HTTP answers: the domain's {@link ProblemException} family carries its own
 * problem type, so this is a lookup; framework exceptions (JSON binding, JAX-RS, persistence) are translated here.
 * Server errors are logged once, here, and never leak class names or stack traces to the client.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    /** Every failure of the domain's problem family: its type, detail and fields say everything. */
    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        if (e.type().status() >= 500) {
            LOG.warnf("%s serving %s: %s", e.type().title(), uri.getPath(), e.getMessage());
        }
        return respond(e.type(), e.detail(), uri, e.fieldErrors().stream()
                .map(f -> new Problem.FieldProblem(f.field(), f.message()))
                .toList());
    }

    /**
     * A JSON request body that does not bind (a string where a number belongs, a body that is not JSON): a 400 problem
     * naming the field, instead of Quarkus' built-in plain-JSON answer.
     */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response unreadableJson(com.fasterxml.jackson.core.JsonProcessingException e, UriInfo uri) {
        String field = "";
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
            field = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : "[" + r.getIndex() + "]").collect(java.util.stream.Collectors.joining("."))
                    .replace(".[", "[");
        }
        String detail = field.isEmpty() ? "the request body is not valid JSON"
                : "'" + field + "' has the wrong type";
        return respond(ProblemType.BAD_REQUEST, detail, uri, field.isEmpty() ? List.of()
                : List.of(new Problem.FieldProblem(field, "has the wrong type")));
    }

    /** Overrides quarkus-rest-jackson's built-in mapper for this subclass, which answers plain JSON. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response mismatchedJson(com.fasterxml.jackson.databind.exc.MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    /** A concurrent submission of the same sweep name loses the race at the unique constraint. */
    @ServerExceptionMapper
    public Response persistence(PersistenceException e, UriInfo uri) {
        if (e.getCause() instanceof ConstraintViolationException cv
                && "sweeps_project_name_unique".equals(cv.getConstraintName())) {
            return respond(ProblemType.CONFLICT, "a sweep with this name already exists in the project", uri,
                    List.of(new Problem.FieldProblem("name", "already exists in the project")));
        }
        return unexpected(e, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        ProblemType type = switch (status) {
            case 404 -> ProblemType.NOT_FOUND;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            default -> ProblemType.BAD_REQUEST;
        };
        String detail = switch (status) {
            case 404 -> "no such resource: " + uri.getPath();
            case 405 -> "method not allowed on " + uri.getPath();
            case 413 -> "the request body is larger than the server accepts";
            case 415 -> "send the sweep as application/yaml or application/json";
            default -> e.getMessage();
        };
        Problem problem = new Problem(type.uri(), status == 405 ? "Method not allowed" : type.title(), status,
                SecretRedactor.redact(detail), uri.getPath(), null);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.errorf(e, "Unexpected error serving %s", uri.getPath());
        return respond(ProblemType.INTERNAL, "the server failed to handle this request; it has been logged", uri,
                List.of());
    }

    /** A problem response outside an exception mapper (filters), with optional extra headers. */
    public static Response problem(ProblemType type, String detail, String path) {
        return Response.status(type.status()).type(Problem.MEDIA_TYPE)
                .entity(new Problem(type.uri(), type.title(), type.status(), detail, path, null)).build();
    }

    static Response respond(ProblemType type, String detail, UriInfo uri, List<Problem.FieldProblem> fields) {
        Problem problem = new Problem(type.uri(), type.title(), type.status(), SecretRedactor.redact(detail),
                uri.getPath(), fields.isEmpty() ? null : fields);
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
