package dev.reprise.orchestrator.api.mlflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.application.mlflow.MlflowException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * MLflow's error shape for the MLflow API alone: {@code {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": ...}}
 * with MLflow's HTTP status. Errors raised before a resource runs (401/403 of the access filter) are problem
 * documents; under {@code /mlflow} they are rewritten into the same shape.
 */
public class MlflowErrors {

    @ServerExceptionMapper
    public Response mlflow(MlflowException e) {
        return error(e.status(), e.errorCode(), e.getMessage());
    }

    @ServerResponseFilter
    public void rewriteProblems(ContainerRequestContext request, ContainerResponseContext response) {
        if (!request.getUriInfo().getPath().startsWith("/mlflow/")) {
            return;
        }
        if (response.getEntity() instanceof Problem p) {
            String code = switch (p.status()) {
                case 401 -> "UNAUTHENTICATED";
                case 403 -> "PERMISSION_DENIED";
                case 404 -> "ENDPOINT_NOT_FOUND";
                case 429 -> "REQUEST_LIMIT_EXCEEDED";
                case 503 -> "TEMPORARILY_UNAVAILABLE";
                default -> p.status() >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
            };
            ObjectNode body = MlflowJson.MAPPER.createObjectNode().put("error_code", code)
                    .put("message", p.detail() == null ? p.title() : (String) p.detail());
            response.setEntity(body.toString(), null, MediaType.APPLICATION_JSON_TYPE);
        }
    }

    static Response error(int status, String code, String message) {
        ObjectNode body = MlflowJson.MAPPER.createObjectNode().put("error_code", code).put("message", message);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body.toString()).build();
    }
}
