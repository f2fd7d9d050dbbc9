package dev.reprise.orchestrator.execution.kubernetes;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The orchestrator with the Kubernetes executor, against Fabric8's mock API server. */
public class KubernetesExecutorProfile implements QuarkusTestProfile {

    static final String NAMESPACE = "reprise-wiring";
    static final String AGENT_IMAGE = "registry.example.com/reprise/agent:wiring";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("reprise.executor", "kubernetes"),
                Map.entry("reprise.kubernetes.namespace", NAMESPACE),
                Map.entry("reprise.kubernetes.agent.image", AGENT_IMAGE),
                Map.entry("reprise.kubernetes.ttl-seconds-after-finished", "600"),
                Map.entry("reprise.kubernetes.fail-fast-exit-codes", "3,4"),
                // the mock server cannot answer a dry run: assume a current server instead of discovering
                Map.entry("reprise.kubernetes.server-capabilities", "1.31"),
                // other test classes' sweeps share the database: keep their queues shut here
                Map.entry("reprise.scheduler.queues.lifecycle.max-running", "0"),
                Map.entry("reprise.scheduler.queues.local.max-running", "0"));
    }
}
