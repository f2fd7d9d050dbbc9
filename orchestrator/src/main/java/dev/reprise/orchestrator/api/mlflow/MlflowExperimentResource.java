package dev.reprise.orchestrator.api.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.orchestrator.application.mlflow.MlflowExperiments;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.security.CallerContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * MLflow's tracking REST API 2.0, experiments: under {@code /mlflow} (the tracking URI is
 * {@code http://HOST:PORT/mlflow}), also under MLflow's {@code ajax-api} prefix. Requests are MLflow's JSON; errors
 * are MLflow's {@code {"error_code", "message"}} (see docs/mlflow.md). Reads answer GET with query parameters and
 * POST with a body.
 */
@Path("/mlflow/{api: api|ajax-api}/2.0/mlflow")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class MlflowExperimentResource {

    private final MlflowExperiments experiments;
    private final CallerContext callers;

    public MlflowExperimentResource(MlflowExperiments experiments, CallerContext callers) {
        this.experiments = experiments;
        this.callers = callers;
    }

    @POST
    @Path("experiments/create")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER)
    public Response createExperiment(String body) {
        JsonNode b = MlflowJson.body(body);
        long id = experiments.createExperiment(caller(), MlflowJson.required(b, "name"),
                MlflowJson.keyValues(b, "tags"));
        ObjectNode out = MlflowJson.MAPPER.createObjectNode().put("experiment_id", String.valueOf(id));
        return MlflowJson.ok(out);
    }

    @GET
    @Path("experiments/get")
    @Access(on = Access.Scope.IN_ENDPOINT, runToken = true)
    public Response getExperiment(@Context UriInfo uri) {
        return experiment(MlflowJson.query(uri));
    }

    @POST
    @Path("experiments/get")
    @Access(on = Access.Scope.IN_ENDPOINT, runToken = true)
    public Response getExperimentPost(String body) {
        return experiment(MlflowJson.body(body));
    }

    private Response experiment(JsonNode b) {
        var e = experiments.experiment(caller(), MlflowJson.required(b, "experiment_id"));
        ObjectNode out = MlflowJson.MAPPER.createObjectNode();
        out.set("experiment", MlflowJson.experiment(e));
        return MlflowJson.ok(out);
    }

    @GET
    @Path("experiments/get-by-name")
    @Access(on = Access.Scope.IN_ENDPOINT)
    public Response getExperimentByName(@Context UriInfo uri) {
        return experimentByName(MlflowJson.query(uri));
    }

    @POST
    @Path("experiments/get-by-name")
    @Access(on = Access.Scope.IN_ENDPOINT)
    public Response getExperimentByNamePost(String body) {
        return experimentByName(MlflowJson.body(body));
    }

    private Response experimentByName(JsonNode b) {
        var e = experiments.experimentByName(caller(), MlflowJson.text(b, "experiment_name"));
        ObjectNode out = MlflowJson.MAPPER.createObjectNode();
        out.set("experiment", MlflowJson.experiment(e));
        return MlflowJson.ok(out);
    }

    @POST
    @Path("experiments/search")
    @Access(on = Access.Scope.IN_ENDPOINT)
    public Response searchExperiments(String body) {
        return searchExperiments(MlflowJson.body(body));
    }

    @GET
    @Path("experiments/search")
    @Access(on = Access.Scope.IN_ENDPOINT)
    public Response searchExperimentsGet(@Context UriInfo uri) {
        return searchExperiments(MlflowJson.query(uri));
    }

    private Response searchExperiments(JsonNode b) {
        var page = experiments.searchExperiments(caller(), MlflowJson.text(b, "filter"),
                MlflowJson.strings(b, "order_by"), MlflowJson.text(b, "view_type"),
                MlflowJson.int32(b, "max_results"), MlflowJson.text(b, "page_token"));
        ObjectNode out = MlflowJson.MAPPER.createObjectNode();
        ArrayNode list = out.putArray("experiments");
        page.items().forEach(e -> list.add(MlflowJson.experiment(e)));
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return MlflowJson.ok(out);
    }

    @POST
    @Path("experiments/delete")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MAINTAINER)
    public Response deleteExperiment(String body) {
        experiments.deleteExperiment(caller(), MlflowJson.required(MlflowJson.body(body), "experiment_id"), true);
        return MlflowJson.empty();
    }

    @POST
    @Path("experiments/restore")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MAINTAINER)
    public Response restoreExperiment(String body) {
        experiments.deleteExperiment(caller(), MlflowJson.required(MlflowJson.body(body), "experiment_id"), false);
        return MlflowJson.empty();
    }

    @POST
    @Path("experiments/update")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MAINTAINER)
    public Response updateExperiment(String body) {
        JsonNode b = MlflowJson.body(body);
        experiments.updateExperiment(caller(), MlflowJson.required(b, "experiment_id"), MlflowJson.text(b, "new_name"));
        return MlflowJson.empty();
    }

    @POST
    @Path("experiments/set-experiment-tag")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER)
    public Response setExperimentTag(String body) {
        JsonNode b = MlflowJson.body(body);
        experiments.setExperimentTag(caller(), MlflowJson.required(b, "experiment_id"), MlflowJson.required(b, "key"),
                MlflowJson.required(b, "value"));
        return MlflowJson.empty();
    }

    private Caller caller() {
        return callers.caller();
    }
}
