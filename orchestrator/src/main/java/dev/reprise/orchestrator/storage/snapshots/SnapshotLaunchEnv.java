package dev.reprise.orchestrator.storage.snapshots;

import dev.reprise.api.trial.TrialEnvironment;
import dev.reprise.api.trial.TrialVariable;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The environment that makes the agent materialise a run's snapshot before the training command starts:
 * {@code REPRISE_DATA_URL} (the snapshot's download endpoint), {@code REPRISE_DATA_DIR} (where the files go) and
 * {@code REPRISE_DATA_SNAPSHOT} (the id, for the training code to log).
 */
@ApplicationScoped
public class SnapshotLaunchEnv {

    private final String apiUrl;

    public SnapshotLaunchEnv(SnapshotConfig config,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port) {
        String url = config.agentApiUrl().orElse("http://127.0.0.1:" + port);
        this.apiUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The variables for a run whose data is {@code snapshotId}, materialised at {@code dataDir}. */
    public TrialEnvironment env(String snapshotId, String dataDir) {
        return TrialEnvironment.empty()
                .with(TrialVariable.DATA_URL, downloadUrl(snapshotId))
                .with(TrialVariable.DATA_DIR, dataDir)
                .with(TrialVariable.DATA_SNAPSHOT, snapshotId);
    }

    /** Where the agent of one attempt uploads the run's output directory (REPRISE_ARTIFACTS_URL). */
    public String artifactsUrl(long runId, int attempt) {
        return apiUrl + "/api/v1/runs/" + runId + "/attempts/" + attempt + "/artifacts";
    }

    /** Where the agent of one attempt uploads and restores the run's checkpoints (REPRISE_CHECKPOINTS_URL). */
    public String checkpointsUrl(long runId, int attempt) {
        return apiUrl + "/api/v1/runs/" + runId + "/attempts/" + attempt + "/checkpoints";
    }

    /** Where the ranks of a distributed attempt meet (REPRISE_RENDEZVOUS_URL, ADR 0008). */
    public String rendezvousUrl(long runId, int attempt) {
        return apiUrl + "/api/v1/runs/" + runId + "/attempts/" + attempt + "/rendezvous";
    }

    /** The tracking URI of the orchestrator's MLflow API, as trials reach it (MLFLOW_TRACKING_URI). */
    public String mlflowUrl() {
        return apiUrl + "/mlflow";
    }

    public String downloadUrl(String snapshotId) {
        return apiUrl + "/api/v1/snapshots/" + snapshotId + "/download";
    }
}
