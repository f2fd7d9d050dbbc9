package dev.reprise.orchestrator.e2e;

import static dev.reprise.orchestrator.e2e.OneNode.ROOT;
import static dev.reprise.orchestrator.e2e.OneNode.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl apply -k} of the project's own manifests (k8s/, through the one-node overlay k8s-one-node/) brings
 * up an orchestrator pod that uses in-cluster configuration with only its own Role and serves its API.
 */
class KustomizeOneNodeE2E {

    /** The namespace k8s/namespace.yaml creates. */
    static final String NS = "reprise";

    private static KubernetesClient admin;
    private static OneNode.Api api;

    @BeforeAll
    static void applyTheManifests() throws Exception {
        OneNode.images();
        admin = OneNode.admin();
        String token = OneNode.randomToken();
        int port = OneNode.freePort();
        String db = OneNode.freshDatabase("reprise_e2e_kustomize");
        OneNode.freshNamespace(admin, NS, token);
        api = new OneNode.Api(port, token);
        // what a user does with their own addresses: an overlay on top of k8s-one-node/
        Path overlay = Files.createDirectories(ROOT.resolve("orchestrator/target/e2e-kustomize"));
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                bases:
                  - ../../../k8s-one-node
                patchesStrategicMerge:
                  - addresses.yaml
                patchesJson6902:
                  - target: {group: apps, version: v1, kind: Deployment, name: reprise-orchestrator, namespace: reprise}
                    path: port.yaml
                """);
        Files.writeString(overlay.resolve("addresses.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: reprise-orchestrator
                  namespace: reprise
                data:
                  REPRISE_HTTP_PORT: "%d"
                  REPRISE_PG_URL: "%s"
                  REPRISE_PG_USER: "%s"
                  REPRISE_PG_MIGRATION_USER: "%s"
                  REPRISE_KAFKA_BOOTSTRAP: "%s"
                  REPRISE_S3_ENDPOINT: "%s"
                  KUBERNETES_SERVICE_PORT: "%d"
                """.formatted(port, db, env("REPRISE_PG_USER"), env("REPRISE_PG_MIGRATION_USER"),
                env("REPRISE_KAFKA_BOOTSTRAP"), env("REPRISE_S3_ENDPOINT"),
                OneNode.apiServerPort(admin)));
        Files.writeString(overlay.resolve("port.yaml"), """
                - op: replace
                  path: /spec/template/spec/containers/0/ports/0/containerPort
                  value: %d
                """.formatted(port));
        System.out.println(OneNode.kubectl("apply", "-k", overlay.toString()));
        try {
            api.awaitReady(Duration.ofMinutes(6));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the orchestrator is not ready\n" + describe(), e);
        }
    }

    static String describe() {
        try {
            return OneNode.kubectl("-n", NS, "describe", "pods") + OneNode.run(java.util.Map.of(),
                    Duration.ofMinutes(1), OneNode.kubectlBinary(), "--kubeconfig", OneNode.kubeconfig().toString(),
                    "-n", NS, "logs", "--tail=60", "-l", "app.kubernetes.io/component=orchestrator").out();
        } catch (Exception | AssertionError e) {
            return "(no description: " + e.getMessage() + ")";
        }
    }

    @AfterAll
    static void deleteTheNamespace() {
        if (admin != null) {
            OneNode.deleteNamespace(admin, NS);
            admin.close();
        }
    }

    @Test
    void theManifestsBringUpAnOrchestratorPodThatServesWithOnlyItsOwnRole() throws Exception {
        List<Pod> pods = admin.pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "orchestrator").list()
                .getItems();
        assertThat(pods).hasSize(1);
        Pod pod = pods.get(0);
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("reprise-orchestrator");
        assertThat(pod.getSpec().getNodeName()).isEqualTo(env("REPRISE_NODE_NAME"));
        await().atMost(Duration.ofMinutes(2)).until(() -> admin.pods().inNamespace(NS)
                .withName(pod.getMetadata().getName()).get().getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")));
        assertThat(api.status("/q/health/ready")).isEqualTo(200);
        assertThat(api.get("/whoami").get("subject").asText()).isNotEmpty();
        String as = "--as=system:serviceaccount:" + NS + ":reprise-orchestrator";
        assertThat(OneNode.run(java.util.Map.of(), Duration.ofMinutes(1), OneNode.kubectlBinary(), "--kubeconfig",
                OneNode.kubeconfig().toString(), "auth", "can-i", "get", "secrets", "-n", NS, as).out().strip())
                .isEqualTo("no");
        // the executor found the cluster through in-cluster configuration: its Jobs informer is up
        assertThat(OneNode.run(java.util.Map.of(), Duration.ofMinutes(1), OneNode.kubectlBinary(), "--kubeconfig",
                OneNode.kubeconfig().toString(), "-n", NS, "logs", pod.getMetadata().getName()).out())
                .doesNotContain("Forbidden");
    }
}
