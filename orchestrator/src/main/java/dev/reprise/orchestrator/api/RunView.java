package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.persistence.RunEntity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A run (one trial attempt series) as the API shows it. */
@Schema(name = "Run")
public record RunView(
        long id,
        long sweepId,
        int index,
        String state,
        int attempt,
        @Schema(description = "Resolved parameters, in the sweep's declaration order") Map<String, Object> parameters,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Integer exitCode,
        String stopReason,
        String failureCause,
        String message,
        ProvenanceView provenance,
        @Schema(description = "Single-run view: what was not stored, with counts (metric keys refused, output "
                + "lines not shipped, reports dropped); empty when everything reported was stored")
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        List<RunMetricsView.WarningView> warnings,
        @Schema(description = "Single-run view: parameters the training code logged (reprise.log_params through the "
                + "agent, MLflow's log-parameter), by name; immutable once set")
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Map<String, String> loggedParams) {

    /**
     * A summary of what the run is made of; filled further by the executor (digest, node) once it starts. The
     * full record is at /api/v1/runs/{id}/provenance.
     */
    @Schema(name = "RunProvenance")
    public record ProvenanceView(String imageRef, String imageDigest, String configHash, String dataSnapshotId,
            String gitRepo, String gitCommit, Boolean gitDirty, Long seed, String nodeName, String agentVersion,
            String gpuModel, String executor, Long rerunOf) {
    }

    /** {@code order} lists parameter names in declaration order (jsonb does not keep it). */
    static RunView of(RunEntity r, List<String> order) {
        return of(r, order, null, null);
    }

    /** With the run's warnings and logged params (single-run view). */
    static RunView of(RunEntity r, List<String> order, List<RunMetricsView.WarningView> warnings,
                      Map<String, String> loggedParams) {
        Map<String, Object> stored = JsonTrees.parseObject(r.parameters);
        Map<String, Object> params = new LinkedHashMap<>();
        for (String name : order) {
            if (stored.containsKey(name)) {
                params.put(name, stored.get(name));
            }
        }
        params.putAll(stored);
        return new RunView(r.id, r.sweepId, r.index, r.state.name(), r.attempt, params, r.createdAt, r.startedAt,
                r.finishedAt, r.exitCode, r.stopReason, r.failureCause, r.message,
                new ProvenanceView(r.imageRef, r.imageDigest, r.configHash, r.dataSnapshotId, r.gitRepo,
                        r.gitCommit, r.gitDirty, r.seed, r.nodeName, r.agentVersion, r.gpuModel, r.executor,
                        r.rerunOf), warnings, loggedParams);
    }
}
