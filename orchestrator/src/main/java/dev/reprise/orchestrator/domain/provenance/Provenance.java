package dev.reprise.orchestrator.domain.provenance;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything recorded about what a run is made of. Written when the run is created, before it can start, and never
 * changed after, except the <em>observed</em> fields that only the running trial can tell: {@code imageDigest}
 * (the digest the node actually pulled), {@code nodeName}, {@code gpuModel} and {@code agentVersion}, each filled
 * once per attempt.
 *
 * @param specText       the exact submitted sweep document
 * @param specSha256     SHA-256 (hex) of {@code specText}
 * @param configHash     hash of the trial's resolved configuration (image, argv, env, resources, parameters,
 *                       seed, data snapshot id): equal hashes, equal configuration
 * @param env            the user's environment variables, secrets replaced by {@link dev.reprise.orchestrator.domain.security.SecretRedactor#MASK}
 * @param executor       kubernetes, local or none
 * @param runtime        what runs the command where it is not the image (local executor), else null
 * @param dataSnapshotId the snapshot id resolved at submission, or null without data
 * @param rerunOf        the run this one re-runs, or null
 * @param clonedFrom     the sweep this run's sweep was cloned from, or null
 */
public record Provenance(
        long runId,
        long sweepId,
        String sweepName,
        String project,
        Instant recordedAt,
        String specText,
        String specFormat,
        String specSha256,
        String configHash,
        Map<String, Object> parameters,
        List<String> command,
        Map<String, String> env,
        String imageRef,
        String imageDigest,
        String executor,
        String runtime,
        String dataSnapshotId,
        String dataMountPath,
        String gitRepo,
        String gitCommit,
        String gitBranch,
        Boolean gitDirty,
        Long seed,
        String agentVersion,
        String nodeName,
        String gpuModel,
        Long rerunOf,
        Long clonedFrom) {

    public Provenance {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        command = List.copyOf(command);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /** The image a re-run must use: the reference pinned to the digest that was pulled, where one is known. */
    public String pinnedImage() {
        if (imageDigest == null || imageDigest.isBlank() || imageRef == null) {
            return imageRef;
        }
        // the kubelet reports "repo@sha256:..." (or only "sha256:..."): keep the digest, pin the recorded repository
        String digest = imageDigest.substring(imageDigest.lastIndexOf('@') + 1);
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            return imageRef;
        }
        int at = imageRef.indexOf('@');
        String repository = at >= 0 ? imageRef.substring(0, at) : stripTag(imageRef);
        return repository + "@" + digest;
    }

    /** {@code registry:5000/team/image:tag} without {@code :tag} (a port colon comes before the last slash). */
    private static String stripTag(String ref) {
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        return colon > slash ? ref.substring(0, colon) : ref;
    }
}
