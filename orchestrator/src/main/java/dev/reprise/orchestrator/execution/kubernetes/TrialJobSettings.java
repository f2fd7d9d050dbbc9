package dev.reprise.orchestrator.execution.kubernetes;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How trial pods are built, beyond what a launch says: the agent image, security and clean-up settings. Taken from
 * {@code reprise.kubernetes.*} configuration ({@link KubernetesExecutorConfig}).
 *
 * @param agentImage                    image holding the self-contained agent under {@code /opt/reprise-agent}
 * @param agentImagePullPolicy          Always, IfNotPresent or Never
 * @param ttlSecondsAfterFinished       how long finished Jobs stay visible to kubectl; null = forever
 * @param failFastExitCodes             exit codes that fail the Job at once through its podFailurePolicy
 * @param runAsUser                     uid for every container (null = the image's user; it must not be root)
 * @param runAsGroup                    gid for every container (null = the image's)
 * @param fsGroup                       group owning mounted volumes (null = none)
 * @param terminationGracePeriodSeconds time between SIGTERM and SIGKILL (the agent forwards SIGTERM and flushes)
 * @param gpuResource                   extended resource name for GPUs
 * @param gpuTypeLabel                  node label that selects a GPU type when a launch names one
 * @param hostNetwork                   trial pods use the node's network (clusters without a pod network, such as
 *                                      scripts/one-node.sh's, or trainers that need the host's interfaces)
 * @param agentKafkaSecret              the Secret (keys {@code username}, {@code password}) in the trials' namespace
 *                                      that holds the agents' Kafka credential, referenced by every trial container
 *                                      ({@code secretKeyRef}); null = agents get none (a broker without SASL)
 */
public record TrialJobSettings(
        String agentImage,
        String agentImagePullPolicy,
        Integer ttlSecondsAfterFinished,
        SortedSet<Integer> failFastExitCodes,
        Long runAsUser,
        Long runAsGroup,
        Long fsGroup,
        long terminationGracePeriodSeconds,
        String gpuResource,
        String gpuTypeLabel,
        boolean hostNetwork,
        String agentKafkaSecret) {

    /** Keys of {@link #agentKafkaSecret()}. */
    public static final String KAFKA_USERNAME_KEY = "username";
    public static final String KAFKA_PASSWORD_KEY = "password";

    public TrialJobSettings(String agentImage, String agentImagePullPolicy, Integer ttlSecondsAfterFinished,
            SortedSet<Integer> failFastExitCodes, Long runAsUser, Long runAsGroup, Long fsGroup,
            long terminationGracePeriodSeconds, String gpuResource, String gpuTypeLabel, boolean hostNetwork) {
        this(agentImage, agentImagePullPolicy, ttlSecondsAfterFinished, failFastExitCodes, runAsUser, runAsGroup,
                fsGroup, terminationGracePeriodSeconds, gpuResource, gpuTypeLabel, hostNetwork, null);
    }

    public static final String DEFAULT_AGENT_IMAGE = "ghcr.io/reprise-dev/reprise-agent:0.1.0";

    public TrialJobSettings {
        // podFailurePolicy: values in ascending order, no duplicates, no 0 with operator In
        TreeSet<Integer> codes = new TreeSet<>(failFastExitCodes);
        codes.remove(0);
        failFastExitCodes = java.util.Collections.unmodifiableSortedSet(codes);
    }

    /** The defaults of {@link KubernetesExecutorConfig}. */
    public static TrialJobSettings defaults() {
        return new TrialJobSettings(DEFAULT_AGENT_IMAGE, "IfNotPresent", 86_400, new TreeSet<>(List.of(1, 2, 126, 127)),
                1000L, 1000L, 1000L, 45, "nvidia.com/gpu", "nvidia.com/gpu.product", false);
    }

    public TrialJobSettings withAgentImage(String image) {
        return new TrialJobSettings(image, agentImagePullPolicy, ttlSecondsAfterFinished, failFastExitCodes, runAsUser,
                runAsGroup, fsGroup, terminationGracePeriodSeconds, gpuResource, gpuTypeLabel, hostNetwork,
                agentKafkaSecret);
    }

    public TrialJobSettings withTtlSecondsAfterFinished(Integer ttl) {
        return new TrialJobSettings(agentImage, agentImagePullPolicy, ttl, failFastExitCodes, runAsUser, runAsGroup,
                fsGroup, terminationGracePeriodSeconds, gpuResource, gpuTypeLabel, hostNetwork,
                agentKafkaSecret);
    }

    public TrialJobSettings withAgentKafkaSecret(String secret) {
        return new TrialJobSettings(agentImage, agentImagePullPolicy, ttlSecondsAfterFinished, failFastExitCodes,
                runAsUser, runAsGroup, fsGroup, terminationGracePeriodSeconds, gpuResource, gpuTypeLabel, hostNetwork,
                secret == null || secret.isBlank() ? null : secret.strip());
    }

    public TrialJobSettings withHostNetwork(boolean host) {
        return new TrialJobSettings(agentImage, agentImagePullPolicy, ttlSecondsAfterFinished, failFastExitCodes,
                runAsUser, runAsGroup, fsGroup, terminationGracePeriodSeconds, gpuResource, gpuTypeLabel, host,
                agentKafkaSecret);
    }
}
