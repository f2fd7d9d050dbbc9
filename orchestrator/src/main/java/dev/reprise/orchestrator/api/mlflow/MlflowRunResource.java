package dev.reprise.orchestrator.api.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.orchestrator.application.mlflow.MlflowException;
import dev.reprise.orchestrator.application.mlflow.MlflowRuns;
import dev.reprise.orchestrator.domain.mlflow.DatasetInput;
import dev.reprise.orchestrator.domain.mlflow.HistoryPoint;
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
import java.util.ArrayList;
import java.util.List;

/**
 * MLflow's tracking REST API 2.0, runs: create, get, update, delete and restore, search, delete a tag, log dataset
 * inputs, metric history (paths as {@link MlflowExperimentResource}'s).
 */
@Path("/mlflow/{api: api|ajax-api}/2.0/mlflow")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class MlflowRunResource {

    private final MlflowRuns runs;
    private final CallerContext callers;

    public MlflowRunResource(MlflowRuns runs, CallerContext callers) {
        this.runs = runs;
        this.callers = callers;
    }

    @POST
    @Path("runs/create")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER)
    public Response createRun(String body) {
        JsonNode b = MlflowJson.body(body);
        var run = runs.createRun(caller(), MlflowJson.text(b, "experiment_id"), MlflowJson.text(b, "run_name"),
                MlflowJson.text(b, "user_id"), MlflowJson.int64(b, "start_time"), MlflowJson.keyValues(b, "tags"));
        ObjectNode out = MlflowJson.MAPPER.createObjectNode();
        out.set("run", MlflowJson.run(run));
        return MlflowJson.ok(out);
    }

    @GET
    @Path("runs/get")
    @Access(on = Access.Scope.IN_ENDPOINT, runToken = true)
    public Response getRun(@Context UriInfo uri) {
        return run(MlflowJson.query(uri));
    }

    @POST
    @Path("runs/get")
    @Access(on = Access.Scope.IN_ENDPOINT, runToken = true)
    public Response getRunPost(String body) {
        return run(MlflowJson.body(body));
    }

    private Response run(JsonNode b) {
        ObjectNode out = MlflowJson.MAPPER.createObjectNode();
        out.set("run", MlflowJson.run(runs.run(caller(), MlflowJson.runId(b))));
        return MlflowJson.ok(out);
    }

    @POST
    @Path("runs/update")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER, runToken = true)
    public Response updateRun(String body) {
        JsonNode b = MlflowJson.body(body);
        var info = runs.updateRun(caller(), MlflowJson.runId(b), MlflowJson.text(b, "status"),
                MlflowJson.int64(b, "end_time"), MlflowJson.text(b, "run_name"));
        ObjectNode out = MlflowJson.MAPPER.createObjectNode();
        out.set("run_info", MlflowJson.runInfo(info));
        return MlflowJson.ok(out);
    }

    @POST
    @Path("runs/delete")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER)
    public Response deleteRun(String body) {
        runs.deleteRun(caller(), MlflowJson.runId(MlflowJson.body(body)), true);
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/restore")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER)
    public Response restoreRun(String body) {
        runs.deleteRun(caller(), MlflowJson.runId(MlflowJson.body(body)), false);
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
        return searchRuns(MlflowJson.query(uri));
    }

    private Response searchRuns(JsonNode b) {
        String view = MlflowJson.text(b, "run_view_type");
        var page = runs.searchRuns(caller(), MlflowJson.strings(b, "experiment_ids"),
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
    @Path("runs/delete-tag")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER, runToken = true)
    public Response deleteTag(String body) {
        JsonNode b = MlflowJson.body(body);
        runs.deleteTag(caller(), MlflowJson.runId(b), MlflowJson.required(b, "key"));
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/log-inputs")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER, runToken = true)
    public Response logInputs(String body) {
        JsonNode b = MlflowJson.body(body);
        List<DatasetInput> inputs = new ArrayList<>();
        JsonNode datasets = b.get("datasets");
        if (datasets != null && datasets.isArray()) {
            for (JsonNode d : datasets) {
                JsonNode ds = d.get("dataset");
                if (ds == null || !ds.isObject()) {
                    throw MlflowException.invalid("Missing value for required parameter 'dataset'.");
                }
                JsonNode tags = d.get("tags");
                inputs.add(new DatasetInput(MlflowJson.text(ds, "name"), MlflowJson.text(ds, "digest"),
                        MlflowJson.text(ds, "source_type"), MlflowJson.text(ds, "source"),
                        MlflowJson.text(ds, "schema"), MlflowJson.text(ds, "profile"),
                        tags == null || !tags.isArray() ? "[]" : tags.toString()));
            }
        }
        runs.logInputs(caller(), MlflowJson.runId(b), inputs);
        return MlflowJson.empty();
    }

    @GET
    @Path("metrics/get-history")
    @Access(on = Access.Scope.IN_ENDPOINT, runToken = true)
    public Response metricHistory(@Context UriInfo uri) {
        JsonNode b = MlflowJson.query(uri);
        String key = MlflowJson.text(b, "metric_key");
        var page = runs.history(caller(), MlflowJson.runId(b), key, MlflowJson.int32(b, "max_results"),
                MlflowJson.text(b, "page_token"));
        ObjectNode out = MlflowJson.MAPPER.createObjectNode();
        ArrayNode metrics = out.putArray("metrics");
        for (HistoryPoint p : page.items()) {
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
}
