package dev.reprise.orchestrator.execution.kubernetes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code reprise.kubernetes.*}: how the Kubernetes executor creates and follows trials. Every value has a default;
 * the executor is used when {@code reprise.executor=kubernetes}. See docs/kubernetes.md.
 */
@ConfigMapping(prefix = "reprise.kubernetes")
public interface KubernetesExecutorConfig {

    /** Namespace of the trials' Jobs; default: the client's namespace (in-cluster: the orchestrator's own). */
    Optional<String> namespace();

    Agent agent();

    /** How long finished Jobs stay for kubectl; 0 or negative = keep until the sweep is stopped. */
    @WithDefault("86400")
    int ttlSecondsAfterFinished();

    /** Exit codes of the training container that fail the Job at once (podFailurePolicy FailJob). */
    @WithDefault("1,2,126,127")
    List<Integer> failFastExitCodes();

    /** uid, gid and fsGroup of trial containers (PSS restricted needs a non-root user). */
    @WithDefault("1000")
    OptionalLong runAsUser();

    @WithDefault("1000")
    OptionalLong runAsGroup();

    @WithDefault("1000")
    OptionalLong fsGroup();

    @WithDefault("45")
    long terminationGracePeriodSeconds();

    @WithDefault("nvidia.com/gpu")
    String gpuResource();

    @WithDefault("nvidia.com/gpu.product")
    String gpuTypeLabel();

    Launch launch();

    /**
     * Trial pods use the node's network namespace ({@code hostNetwork: true}): for clusters without a pod network
     * (the one-node cluster of scripts/one-node.sh, where Kafka, the S3 store and the orchestrator listen on the
     * node's 127.0.0.1) or trainers that need the host's interfaces (RDMA).
     */
    @WithDefault("false")
    boolean hostNetwork();

    /**
     * The Secret in the trials' namespace holding the agents' Kafka credential (keys {@code username} and
     * {@code password}; write-only on the report topics, docs/security.md#kafka). Every trial container reads it
     * through {@code secretKeyRef}: the password is never written into a Job, and the orchestrator need not know it.
     */
    Optional<String> agentKafkaSecret();

    /** How long an image pull or container creation may keep failing before the attempt counts as failed. */
    @WithDefault("5m")
    Duration imagePullGrace();

    /** Informer resync: how often every trial is re-evaluated even without changes. */
    @WithDefault("5m")
    Duration resync();

    /**
     * What the API server supports: {@code auto} (discover: version and a dry-run probe) or a version such as
     * {@code 1.20} to skip discovery.
     */
    @WithDefault("auto")
    String serverCapabilities();

    /** Fabric8 client limits (used by the OkHttp/Jetty clients; the Vert.x client Quarkus uses pools freely). */
    @WithDefault("256")
    int maxConcurrentRequests();

    @WithDefault("256")
    int maxConcurrentRequestsPerHost();

    interface Agent {
        /** Image with the self-contained agent in /opt/reprise-agent (agent/src/main/docker/Dockerfile). */
        @WithDefault(TrialJobSettings.DEFAULT_AGENT_IMAGE)
        String image();

        @WithDefault("IfNotPresent")
        String imagePullPolicy();
    }

    interface Launch {
        /** Threads creating Jobs in parallel for a batch of launches. */
        @WithDefault("32")
        int concurrency();

        /** Tries of one API call on 429/5xx/timeouts, on top of Fabric8's own retries. */
        @WithDefault("4")
        int maxAttempts();

        @WithDefault("PT0.2S")
        Duration initialBackoff();

        @WithDefault("10s")
        Duration maxBackoff();
    }
}
