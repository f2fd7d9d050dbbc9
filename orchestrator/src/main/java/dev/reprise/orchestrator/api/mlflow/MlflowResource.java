package dev.reprise.orchestrator.api.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.orchestrator.application.mlflow.MlflowException;
import dev.reprise.orchestrator.application.mlflow.MlflowTracking;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.persistence.mlflow.MlflowStore;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MLflow's tracking REST API 2.0 under {@code /mlflow} (the tracking URI is {@code http://HOST:PORT/mlflow}), also
 * under MLflow's {@code ajax-api} prefix. Requests are MLflow's JSON; errors are MLflow's
 * {@code {"error_code", "message"}} (see docs/mlflow.md). Reads answer GET with query parameters and POST with a body.
 */
@Path("/mlflow/{api: api|ajax-api}/2.0/mlflow")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class MlflowResource {

    private final MlflowTracking tracking;
    private final CallerContext callers;

    public MlflowResource(MlflowTracking tracking, CallerContext callers) {
        this.tracking = tracking;
        this.callers = callers;
    }

    // ---- experiments

    @POST
    @Path("experiments/create")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER)
    public Response createExperiment(String body) {
        JsonNode b = MlflowJson.body(body);
        long id = tracking.createExperiment(caller(), MlflowJson.required(b, "name"),
                MlflowJson.keyValues(b, "tags"));
        ObjectNode out = MlflowJson.MAPPER.createObjectNode().put("experiment_id", String.valueOf(id));
        return MlflowJson.ok(out);
    }

    @GET
    @Path("experiments/get")
    @Access(on = Access.Scope.IN_ENDPOINT, runToken = true)
    public Response getExperiment(@Context UriInfo uri) {
        return experiment(query(uri));
    }

    @POST
    @Path("experiments/get")
    @Access(on = Access.Scope.IN_ENDPOINT, runToken = true)
    public Response getExperimentPost(String body) {
        return experiment(MlflowJson.body(body));
    }

    private Response experiment(JsonNode b) {
        var e = tracking.experiment(caller(), MlflowJson.required(b, "experiment_id"));
        ObjectNode out = MlflowJson.MAPPER.createObjectNode();
        out.set("experiment", MlflowJson.experiment(e));
        return MlflowJson.ok(out);
    }

    @GET
    @Path("experiments/get-by-name")
    @Access(on = Access.Scope.IN_ENDPOINT)
    public Response getExperimentByName(@Context UriInfo uri) {
        return experimentByName(query(uri));
    }

    @POST
    @Path("experiments/get-by-name")
    @Access(on = Access.Scope.IN_ENDPOINT)
    public Response getExperimentByNamePost(String body) {
        return experimentByName(MlflowJson.body(body));
    }

    private Response experimentByName(JsonNode b) {
        var e = tracking.experimentByName(caller(), MlflowJson.text(b, "experiment_name"));
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
        return searchExperiments(query(uri));
    }

    private Response searchExperiments(JsonNode b) {
        var page = tracking.searchExperiments(caller(), MlflowJson.text(b, "filter"),
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
        tracking.deleteExperiment(caller(), MlflowJson.required(MlflowJson.body(body), "experiment_id"), true);
        return MlflowJson.empty();
    }

    @POST
    @Path("experiments/restore")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MAINTAINER)
    public Response restoreExperiment(String body) {
        tracking.deleteExperiment(caller(), MlflowJson.required(MlflowJson.body(body), "experiment_id"), false);
        return MlflowJson.empty();
    }

    @POST
    @Path("experiments/update")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MAINTAINER)
    public Response updateExperiment(String body) {
        JsonNode b = MlflowJson.body(body);
        tracking.updateExperiment(caller(), MlflowJson.required(b, "experiment_id"), MlflowJson.text(b, "new_name"));
        return MlflowJson.empty();
    }

    @POST
    @Path("experiments/set-experiment-tag")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER)
    public Response setExperimentTag(String body) {
        JsonNode b = MlflowJson.body(body);
        tracking.setExperimentTag(caller(), MlflowJson.required(b, "experiment_id"), MlflowJson.required(b, "key"),
                MlflowJson.required(b, "value"));
        return MlflowJson.empty();
    }

    // ---- runs

    @POST
    @Path("runs/create")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER)
    public Response createRun(String body) {
        JsonNode b = MlflowJson.body(body);
        var run = tracking.createRun(caller(), MlflowJson.text(b, "experiment_id"), MlflowJson.text(b, "run_name"),
                MlflowJson.text(b, "user_id"), MlflowJson.int64(b, "start_time"), MlflowJson.keyValues(b, "tags"));
        ObjectNode out = MlflowJson.MAPPER.createObjectNode();
        out.set("run", MlflowJson.run(run));
        return MlflowJson.ok(out);
    }

    @GET
    @Path("runs/get")
    @Access(on = Access.Scope.IN_ENDPOINT, runToken = true)
    public Response getRun(@Context UriInfo uri) {
        return run(query(uri));
    }

    @POST
    @Path("runs/get")
    @Access(on = Access.Scope.IN_ENDPOINT, runToken = true)
    public Response getRunPost(String body) {
        return run(MlflowJson.body(body));
    }

    private Response run(JsonNode b) {
        ObjectNode out = MlflowJson.MAPPER.createObjectNode();
        out.set("run", MlflowJson.run(tracking.run(caller(), MlflowJson.runId(b))));
        return MlflowJson.ok(out);
    }

    @POST
    @Path("runs/update")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER, runToken = true)
    public Response updateRun(String body) {
        JsonNode b = MlflowJson.body(body);
        var info = tracking.updateRun(caller(), MlflowJson.runId(b), MlflowJson.text(b, "status"),
                MlflowJson.int64(b, "end_time"), MlflowJson.text(b, "run_name"));
        ObjectNode out = MlflowJson.MAPPER.createObjectNode();
        out.set("run_info", MlflowJson.runInfo(info));
        return MlflowJson.ok(out);
    }

    @POST
    @Path("runs/delete")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER)
    public Response deleteRun(String body) {
        tracking.deleteRun(caller(), MlflowJson.runId(MlflowJson.body(body)), true);
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/restore")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER)
    public Response restoreRun(String body) {
        tracking.deleteRun(caller(), MlflowJson.runId(MlflowJson.body(body)), false);
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/search")
    @Access(on = Access.Scope.IN_ENDPOINT, runToken = true)
    public Response searchRuns(String body) {
        return searchRuns(MlflowJson.body(body));
    }

    @GET
    @Path("runs/search")
    @Access(on = Access.Scope.IN_ENDPOINT, runToken = true)
    public Response searchRunsGet(@Context UriInfo uri) {
        return searchRuns(query(uri));
    }

    private Response searchRuns(JsonNode b) {
        String view = MlflowJson.text(b, "run_view_type");
        var page = tracking.searchRuns(caller(), MlflowJson.strings(b, "experiment_ids"),
                MlflowJson.text(b, "filter"), MlflowJson.strings(b, "order_by"), view,
                MlflowJson.int32(b, "max_results"), MlflowJson.text(b, "page_token"));
        ObjectNode out = MlflowJson.MAPPER.createObjectNode();
        ArrayNode runs = out.putArray("runs");
        page.items().forEach(r -> runs.add(MlflowJson.run(r)));
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return MlflowJson.ok(out);
    }

    @POST
    @Path("runs/log-metric")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER, runToken = true)
    public Response logMetric(String body) {
        JsonNode b = MlflowJson.body(body);
        tracking.logBatch(caller(), MlflowJson.runId(b), List.of(MlflowJson.metric(b)), Map.of(), Map.of());
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/log-parameter")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER, runToken = true)
    public Response logParameter(String body) {
        JsonNode b = MlflowJson.body(body);
        String key = MlflowJson.required(b, "key");
        tracking.logBatch(caller(), MlflowJson.runId(b), List.of(), Map.of(key, MlflowJson.required(b, "value")),
                Map.of());
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/set-tag")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER, runToken = true)
    public Response setTag(String body) {
        JsonNode b = MlflowJson.body(body);
        String key = MlflowJson.required(b, "key");
        tracking.logBatch(caller(), MlflowJson.runId(b), List.of(), Map.of(), Map.of(key,
                MlflowJson.required(b, "value")));
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/delete-tag")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER, runToken = true)
    public Response deleteTag(String body) {
        JsonNode b = MlflowJson.body(body);
        tracking.deleteTag(caller(), MlflowJson.runId(b), MlflowJson.required(b, "key"));
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/log-batch")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER, runToken = true)
    public Response logBatch(String body) {
        JsonNode b = MlflowJson.body(body);
        tracking.logBatch(caller(), MlflowJson.runId(b), MlflowJson.metrics(b), MlflowJson.keyValues(b, "params"),
                MlflowJson.keyValues(b, "tags"));
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/log-inputs")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER, runToken = true)
    public Response logInputs(String body) {
        JsonNode b = MlflowJson.body(body);
        List<MlflowStore.Input> inputs = new ArrayList<>();
        JsonNode datasets = b.get("datasets");
        if (datasets != null && datasets.isArray()) {
            for (JsonNode d : datasets) {
                JsonNode ds = d.get("dataset");
                if (ds == null || !ds.isObject()) {
                    throw MlflowException.invalid("Missing value for required parameter 'dataset'.");
                }
                JsonNode tags = d.get("tags");
                inputs.add(new MlflowStore.Input(MlflowJson.text(ds, "name"), MlflowJson.text(ds, "digest"),
                        MlflowJson.text(ds, "source_type"), MlflowJson.text(ds, "source"),
                        MlflowJson.text(ds, "schema"), MlflowJson.text(ds, "profile"),
                        tags == null || !tags.isArray() ? "[]" : tags.toString()));
            }
        }
        tracking.logInputs(caller(), MlflowJson.runId(b), inputs);
        return MlflowJson.empty();
    }

    @GET
    @Path("metrics/get-history")
    @Access(on = Access.Scope.IN_ENDPOINT, runToken = true)
    public Response metricHistory(@Context UriInfo uri) {
        JsonNode b = query(uri);
        String key = MlflowJson.text(b, "metric_key");
        var page = tracking.history(caller(), MlflowJson.runId(b), key, MlflowJson.int32(b, "max_results"),
                MlflowJson.text(b, "page_token"));
        ObjectNode out = MlflowJson.MAPPER.createObjectNode();
        ArrayNode metrics = out.putArray("metrics");
        for (MlflowStore.HistoryPoint p : page.items()) {
            ObjectNode m = metrics.addObject().put("key", key);
            MlflowJson.putDouble(m, "value", p.value());
            m.put("timestamp", p.timestampMillis()).put("step", p.step());
        }
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return MlflowJson.ok(out);
    }

    private Caller caller() {
        return callers.caller();
    }

    /** Query parameters as a request object; repeated ones (order_by, experiment_ids) as lists. */
    private static JsonNode query(UriInfo uri) {
        ObjectNode o = MlflowJson.MAPPER.createObjectNode();
        uri.getQueryParameters().forEach((k, values) -> {
            if (values.size() == 1 && !k.equals("order_by") && !k.equals("experiment_ids")) {
                o.put(k, values.get(0));
            } else {
                ArrayNode a = o.putArray(k);
                values.forEach(a::add);
            }
        });
        return o;
    }
}
