package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.domain.provenance.Provenance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A run's provenance record as the API shows it (GET /api/v1/runs/{id}/provenance). */
@Schema(name = "Provenance", description = "What a run is made of. Recorded when the run is created, before it can "
        + "start, and never changed after, except the observed fields (image.digest, nodeName, gpuModel, "
        + "agentVersion), which each attempt fills in once.")
public record ProvenanceView(
        long runId,
        long sweepId,
        String sweepName,
        String project,
        @Schema(description = "When the record was written") Instant recordedAt,
        SpecView spec,
        @Schema(description = "SHA-256 of the trial's resolved configuration (image, argv, env, resources, "
                + "parameters, seed, data snapshot id)") String configHash,
        @Schema(description = "Resolved parameters, in declaration order") Map<String, Object> parameters,
        @Schema(description = "The rendered command the agent wraps") List<String> command,
        @Schema(description = "The sweep's environment variables; secret values read \"[redacted]\"")
        Map<String, String> env,
        ImageView image,
        DataView data,
        GitView git,
        @Schema(description = "The trial's seed (REPRISE_SEED)") Long seed,
        @Schema(description = "Observed: the agent's version") String agentVersion,
        @Schema(description = "Observed: the node (Kubernetes) or host (local) of the current attempt")
        String nodeName,
        @Schema(description = "Observed: GPU model(s) from the agent's telemetry, e.g. \"2 x NVIDIA H100\"")
        String gpuModel,
        @Schema(description = "The run this one re-runs") Long rerunOf,
        @Schema(description = "The sweep this run's sweep was cloned from") Long clonedFrom,
        @Schema(description = "Observed, distributed trials only: each rank's host (pod) and GPUs in the current "
                + "attempt, as its agent reported them")
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        List<RankNodeView> ranks) {

    /** Where one rank of a distributed trial ran. */
    @Schema(name = "ProvenanceRank")
    public record RankNodeView(int rank, String hostname, String gpuModel, String agentVersion) {
    }

    /** The exact submitted document. */
    @Schema(name = "ProvenanceSpec")
    public record SpecView(String text, @Schema(enumeration = {"yaml", "json"}) String format,
            @Schema(description = "SHA-256 (hex) of text") String sha256) {
    }

    /**
     * The image asked for and the one that ran. For the local executor the image is not used: {@code runtime}
     * says what ran the command, and {@code digest} stays null.
     */
    @Schema(name = "ProvenanceImage")
    public record ImageView(@Schema(description = "The image as the spec names it") String ref,
            @Schema(description = "Observed: the digest the node pulled (from the pod's imageID); null for the "
                    + "local executor") String digest,
            @Schema(description = "The reference pinned to the digest, as a re-run uses it") String pinned,
            @Schema(enumeration = {"kubernetes", "local", "none"}) String executor,
            @Schema(description = "What runs the command when it is not the image (local executor)") String runtime) {
    }

    @Schema(name = "ProvenanceData")
    public record DataView(@Schema(description = "The snapshot id resolved at submission") String snapshotId,
            String mountPath) {
    }

    @Schema(name = "ProvenanceGit")
    public record GitView(String repo, String commit, String branch, Boolean dirty) {
    }

    static ProvenanceView of(Provenance p) {
        return of(p, List.of());
    }

    /** With the ranks of a distributed trial's current attempt (none for an ordinary trial). */
    static ProvenanceView of(Provenance p, List<dev.reprise.orchestrator.persistence.MetricsQuery.RankState> ranks) {
        return new ProvenanceView(p.runId(), p.sweepId(), p.sweepName(), p.project(), p.recordedAt(),
                new SpecView(p.specText(), p.specFormat(), p.specSha256()), p.configHash(), p.parameters(),
                p.command(), p.env(),
                new ImageView(p.imageRef(), p.imageDigest(), p.pinnedImage(), p.executor(), p.runtime()),
                p.dataSnapshotId() == null ? null : new DataView(p.dataSnapshotId(), p.dataMountPath()),
                p.gitRepo() == null && p.gitCommit() == null && p.gitDirty() == null ? null
                        : new GitView(p.gitRepo(), p.gitCommit(), p.gitBranch(), p.gitDirty()),
                p.seed(), p.agentVersion(), p.nodeName(), p.gpuModel(), p.rerunOf(), p.clonedFrom(),
                ranks.isEmpty() ? null : ranks.stream().map(r -> new RankNodeView(r.rank(), r.hostname(),
                        r.gpuModel(), r.agentVersion())).toList());
    }
}
