package dev.reprise.orchestrator.api.mlflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.orchestrator.application.mlflow.MlflowException;
import dev.reprise.orchestrator.application.mlflow.MlflowRuns;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.security.CallerContext;
import dev.reprise.orchestrator.storage.mlflow.MlflowArtifactStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * MLflow's artifact proxy ({@code /api/2.0/mlflow-artifacts/artifacts/...}): upload, download, list and delete the
 * files of a run's {@code artifact_uri} ({@code mlflow-artifacts:/EXPERIMENT/RUN/artifacts}) in the object store.
 * Paths must start with {@code EXPERIMENT/RUN/}: the run decides who may read (viewer of its project, its run token)
 * and write (member, its run token).
 */
@Path("/mlflow/{api: api|ajax-api}/2.0/mlflow-artifacts/artifacts")
public class MlflowArtifactResource {

    private final MlflowRuns runs;
    private final MlflowArtifactStore artifacts;
    private final CallerContext callers;

    public MlflowArtifactResource(MlflowRuns runs, MlflowArtifactStore artifacts, CallerContext callers) {
        this.runs = runs;
        this.artifacts = artifacts;
        this.callers = callers;
    }

    @PUT
    @Path("{path: .+}")
    @Consumes(MediaType.WILDCARD)
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER, runToken = true)
    public Response upload(@PathParam("path") String path, byte[] content) {
        String clean = runs.artifactPath(callers.caller(), path, true);
        artifacts.put(clean, content == null ? new byte[0] : content);
        return MlflowJson.empty();
    }

    @GET
    @Path("{path: .+}")
    @Access(on = Access.Scope.IN_ENDPOINT, runToken = true)
    public Response download(@PathParam("path") String path) {
        String clean = runs.artifactPath(callers.caller(), path, false);
        return artifacts.get(clean).map(in -> Response.ok(in, MediaType.APPLICATION_OCTET_STREAM_TYPE).build())
                .orElseThrow(() -> MlflowException.notFound("No artifact at '" + path + "'"));
    }

    @GET
    @Access(on = Access.Scope.IN_ENDPOINT, runToken = true)
    public Response list(@QueryParam("path") String path) {
        if (path == null || path.isEmpty()) {
            throw MlflowException.invalid("list a run's artifacts with path=EXPERIMENT/RUN/artifacts[/DIR]");
        }
        String clean = runs.artifactPath(callers.caller(), path, false);
        ObjectNode out = MlflowJson.MAPPER.createObjectNode();
        ArrayNode files = out.putArray("files");
        for (MlflowArtifactStore.Entry e : artifacts.list(clean, clean)) {
            ObjectNode f = files.addObject().put("path", e.path()).put("is_dir", e.dir());
            if (!e.dir()) {
                f.put("file_size", e.size());
            }
        }
        return MlflowJson.ok(out);
    }

    @DELETE
    @Path("{path: .+}")
    @Access(on = Access.Scope.IN_ENDPOINT, role = Role.MEMBER, runToken = true)
    public Response delete(@PathParam("path") String path) {
        artifacts.delete(runs.artifactPath(callers.caller(), path, true));
        return MlflowJson.empty();
    }
}
