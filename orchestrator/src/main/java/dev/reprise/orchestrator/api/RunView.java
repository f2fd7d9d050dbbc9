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
        Map<String, String> loggedParams,
        @Schema(description = "Why early stopping ended the run, in figures; absent for runs it did not stop")
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        EarlyStopView earlyStop,
        @Schema(description = "Single-run view of a distributed trial (resources.nodes > 1): the current attempt's "
                + "ranks as their agents reported them (host, state, exit code, last heartbeat); absent for an "
                + "ordinary trial")
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        List<RankView> ranks) {

    /** One rank of a distributed trial's attempt. */
    @Schema(name = "RunRank")
    public record RankView(
            @Schema(description = "Node rank, 0 to nodes - 1; rank 0 reports the run's metrics") int rank,
            @Schema(description = "RUNNING until the rank's agent reported its end, then EXITED") String state,
            @Schema(description = "Host (pod) the rank's agent ran on") String hostname,
            Integer exitCode,
            @Schema(description = "The agent's stop reason: COMPLETED, FAILED, TERMINATED, KILLED or AGENT_ERROR")
            String stopReason,
            Instant startedAt,
            @Schema(description = "When the rank's newest heartbeat was taken") Instant lastHeartbeatAt,
            Instant finishedAt,
            @Schema(description = "GPUs the rank's agent saw, e.g. '2 x NVIDIA H100 80GB HBM3'") String gpuModel,
            @Schema(description = "CPU use at the newest heartbeat (100 = one core)") Double cpuPercent,
            @Schema(description = "Resident memory of the rank's process tree at the newest heartbeat") Long rssBytes,
            @Schema(description = "Why the agent gave up (AGENT_ERROR)") String message,
            @Schema(description = "The rank's agent's version") String agentVersion) {

        static RankView of(dev.reprise.orchestrator.persistence.MetricsQuery.RankState r) {
            return new RankView(r.rank(), r.state(), r.hostname(), r.exitCode(), r.stopReason(), r.startedAt(),
                    r.lastHeartbeatAt(), r.finishedAt(), r.gpuModel(), r.cpuPercent(), r.rssBytes(), r.message(),
                    r.agentVersion());
        }
    }

    /**
     * An early-stopping decision: the rule ({@code hyperband} or {@code median}), the step it judged the run at (the
     * rung for hyperband), the run's value there (null when it had no finite value), the cut-off it had to beat,
     * its rank among the {@code peers} runs compared (1 = best, the run itself counted) and the goal.
     */
    @Schema(name = "EarlyStop")
    public record EarlyStopView(String rule, long step, Double value, Double cutoff, int rank, int peers,
            String goal) {

        static EarlyStopView of(String json) {
            if (json == null) {
                return null;
            }
            Map<String, Object> t = JsonTrees.parseObject(json);
            return new EarlyStopView((String) t.get("rule"), ((Number) t.get("step")).longValue(),
                    t.get("value") == null ? null : ((Number) t.get("value")).doubleValue(),
                    t.get("cutoff") == null ? null : ((Number) t.get("cutoff")).doubleValue(),
                    ((Number) t.get("rank")).intValue(), ((Number) t.get("peers")).intValue(), (String) t.get("goal"));
        }
    }

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
        return of(r, order, null, null, null);
    }

    /** With the run's warnings and logged params (single-run view). */
    static RunView of(RunEntity r, List<String> order, List<RunMetricsView.WarningView> warnings,
                      Map<String, String> loggedParams, List<RankView> ranks) {
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
                        r.rerunOf), warnings, loggedParams, EarlyStopView.of(r.earlyStop),
                ranks == null || ranks.isEmpty() ? null : ranks);
    }
}
