package dev.reprise.orchestrator.execution.kubernetes;

import dev.reprise.orchestrator.persistence.InstallationIdentity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Makes the {@link KubernetesExecutor} available when {@code reprise.executor=kubernetes} (a runtime choice: look it
 * up with {@code @Inject Instance<Executor> executor; executor.get()}). Created on first lookup; closed at shutdown.
 */
@Singleton
public class KubernetesExecutorProducer {

    @Produces
    @Singleton
    @LookupIfProperty(name = "reprise.executor", stringValue = "kubernetes")
    KubernetesExecutor kubernetesExecutor(KubernetesClient client, KubernetesExecutorConfig config,
            InstallationIdentity installation) {
        String namespace = config.namespace().orElseGet(() -> client.getNamespace() != null ? client.getNamespace()
                : "default");
        TrialJobFactory factory = new TrialJobFactory(jobSettings(config), installation.id());
        KubernetesExecutor.Settings settings = new KubernetesExecutor.Settings(namespace,
                config.launch().concurrency(),
                new Backoff(config.launch().maxAttempts(), config.launch().initialBackoff(),
                        config.launch().maxBackoff()),
                config.imagePullGrace(), config.resync());
        return new KubernetesExecutor(client, settings, factory, capabilitySource(config.serverCapabilities()),
                Clock.systemUTC());
    }

    void close(@Disposes KubernetesExecutor executor) {
        executor.close();
    }

    static TrialJobSettings jobSettings(KubernetesExecutorConfig config) {
        Integer ttl = config.ttlSecondsAfterFinished() > 0 ? config.ttlSecondsAfterFinished() : null;
        return new TrialJobSettings(config.agent().image(), config.agent().imagePullPolicy(), ttl,
                new TreeSet<>(config.failFastExitCodes()),
                config.runAsUser().isPresent() ? config.runAsUser().getAsLong() : null,
                config.runAsGroup().isPresent() ? config.runAsGroup().getAsLong() : null,
                config.fsGroup().isPresent() ? config.fsGroup().getAsLong() : null,
                config.terminationGracePeriodSeconds(), config.gpuResource(), config.gpuTypeLabel(),
                config.hostNetwork()).withAgentKafkaSecret(config.agentKafkaSecret().orElse(null));
    }

    /** {@code auto}: discover; {@code 1.20}: assume that version's defaults. */
    static Supplier<Capabilities> capabilitySource(String setting) {
        if (setting == null || setting.isBlank() || setting.equalsIgnoreCase("auto")) {
            return null;
        }
        String[] parts = setting.trim().split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("reprise.kubernetes.server-capabilities must be 'auto' or a version"
                    + " such as '1.20', not '" + setting + "'");
        }
        Capabilities c = Capabilities.forVersion(parts[0], parts[1]);
        return () -> c;
    }
}
