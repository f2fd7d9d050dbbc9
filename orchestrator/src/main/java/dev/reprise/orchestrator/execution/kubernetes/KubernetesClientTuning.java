package dev.reprise.orchestrator.execution.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;

/**
 * Raises Fabric8's request limits (64 in all, 5 per host by default) so a batch of launches is not queued five at a
 * time by HTTP clients that enforce them. Quarkus' Vert.x-based client pools connections without that limit; the
 * launch pool ({@code reprise.kubernetes.launch.concurrency}) bounds concurrency either way.
 */
@Singleton
public class KubernetesClientTuning implements KubernetesConfigCustomizer {

    private final KubernetesExecutorConfig config;

    public KubernetesClientTuning(KubernetesExecutorConfig config) {
        this.config = config;
    }

    @Override
    public void customize(Config kubernetesConfig) {
        kubernetesConfig.setMaxConcurrentRequests(config.maxConcurrentRequests());
        kubernetesConfig.setMaxConcurrentRequestsPerHost(config.maxConcurrentRequestsPerHost());
    }
}
