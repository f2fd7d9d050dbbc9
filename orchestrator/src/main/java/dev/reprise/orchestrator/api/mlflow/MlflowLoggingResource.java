package dev.reprise.orchestrator.api.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.orchestrator.application.mlflow.MlflowLogging;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.security.CallerContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * MLflow's tracking REST API 2.0, logging: log-batch and its single-value forms log-metric, log-parameter and
 * set-tag (paths as {@link MlflowExperimentResource}'s).
 */
@Path("/mlflow/{api: api|ajax-api}/2.0/mlflow")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class MlflowLoggingResource {

    private final MlflowLogging logging;
    private final CallerContext callers;

    public MlflowLoggingResource(MlflowLogging logging, CallerContext callers) {
        this.logging = logging;
        this.callers = callers;
    }

    @POST
    @Path("runs/log-metric")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER, runToken = true)
    public Response logMetric(String body) {
        JsonNode b = MlflowJson.body(body);
        logging.logBatch(caller(), MlflowJson.runId(b), List.of(MlflowJson.metric(b)), Map.of(), Map.of());
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/log-parameter")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER, runToken = true)
    public Response logParameter(String body) {
        JsonNode b = MlflowJson.body(body);
        String key = MlflowJson.required(b, "key");
        logging.logBatch(caller(), MlflowJson.runId(b), List.of(), Map.of(key, MlflowJson.required(b, "value")),
                Map.of());
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/set-tag")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER, runToken = true)
    public Response setTag(String body) {
        JsonNode b = MlflowJson.body(body);
        String key = MlflowJson.required(b, "key");
        logging.logBatch(caller(), MlflowJson.runId(b), List.of(), Map.of(), Map.of(key,
                MlflowJson.required(b, "value")));
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/log-batch")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER, runToken = true)
    public Response logBatch(byte[] body, @Context HttpHeaders headers) {
        MlflowJson.LogBatch b = MlflowJson.logBatch(body, charset(headers.getMediaType()));
        logging.logBatch(caller(), b.runId(), b.metrics(), b.params(), b.tags());
        return MlflowJson.empty();
    }

    /** The body's charset as a String body would be decoded with: the media type's, UTF-8 by default. */
    private static Charset charset(MediaType type) {
        String name = type == null ? null : type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private Caller caller() {
        return callers.caller();
    }
}
