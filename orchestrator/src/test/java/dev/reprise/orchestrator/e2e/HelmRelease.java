package dev.reprise.orchestrator.e2e;

import static dev.reprise.orchestrator.e2e.OneNode.ROOT;
import static dev.reprise.orchestrator.e2e.OneNode.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fixture of the *E2E classes that run sweeps through a deployed orchestrator: Reprise installed by its Helm chart
 * (real Helm, {@code values-one-node.yaml}) into a namespace of its own on the one-node cluster, with a database of its
 * own, and the helpers those classes share (submit a one-trial sweep, wait for a sweep's end, find a trial's pod).
 * Each class installs its own release, so that no class depends on what another left.
 */
final class HelmRelease implements AutoCloseable {

    static final String NAME = "reprise";
    static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "STOPPED_EARLY");

    private final String namespace;
    private final KubernetesClient admin;
    private final OneNode.Api api;

    private HelmRelease(String namespace, KubernetesClient admin, OneNode.Api api) {
        this.namespace = namespace;
        this.admin = admin;
        this.api = api;
    }

    /**
     * Builds the node's images (once per JVM), then installs the chart into {@code namespace} (emptied first) with a
     * fresh database {@code database} and the given extra values ({@code --set}); returns once the API is ready.
     */
    static HelmRelease install(String namespace, String database, Map<String, String> values) throws Exception {
        OneNode.images();
        KubernetesClient admin = OneNode.admin();
        String token = OneNode.randomToken();
        int port = OneNode.freePort();
        String db = OneNode.freshDatabase(database);
        OneNode.freshNamespace(admin, namespace, token);
        HelmRelease release = new HelmRelease(namespace, admin, new OneNode.Api(port, token));
        try {
            InstallCommand install = new Helm(ROOT.resolve("helm/reprise")).install().withName(NAME)
                    .withNamespace(namespace)
                    .withKubeConfig(OneNode.kubeconfig())
                    .withValuesFile(ROOT.resolve("helm/reprise/values-one-node.yaml"))
                    .set("http.port", port)
                    .set("postgresql.url", db)
                    // two roles, as docs/security.md advises: the app's owns nothing, migrations run as the owner
                    .set("postgresql.user", env("REPRISE_PG_USER"))
                    .set("postgresql.migrationUser", env("REPRISE_PG_MIGRATION_USER"))
                    .set("kafka.bootstrapServers", env("REPRISE_KAFKA_BOOTSTRAP"))
                    .set("s3.endpoint", env("REPRISE_S3_ENDPOINT"))
                    .set("extraEnv.KUBERNETES_SERVICE_PORT", OneNode.apiServerPort(admin))
                    // the node has no registry: a missing image never appears, so give up on it soon
                    .set("trials.imagePullGrace", "20s");
            values.forEach(install::set);
            install.waitReady().withTimeout(420).call();
        } catch (RuntimeException e) {
            throw new AssertionError("helm install failed: " + e.getMessage() + "\n" + release.describeOrchestrator(),
                    e);
        }
        release.api.awaitReady(Duration.ofMinutes(2));
        return release;
    }

    String namespace() {
        return namespace;
    }

    KubernetesClient admin() {
        return admin;
    }

    OneNode.Api api() {
        return api;
    }

    @Override
    public void close() {
        try {
            Helm.uninstall(NAME).withNamespace(namespace).withKubeConfig(OneNode.kubeconfig()).call();
        } catch (RuntimeException e) {
            System.err.println("helm uninstall: " + e.getMessage());
        }
        OneNode.deleteNamespace(admin, namespace);
        admin.close();
    }

    String describeOrchestrator() {
        try {
            return OneNode.kubectl("-n", namespace, "describe", "pods", "-l",
                    "app.kubernetes.io/component=orchestrator")
                    + OneNode.run(Map.of(), Duration.ofMinutes(1), OneNode.kubectlBinary(), "--kubeconfig",
                    OneNode.kubeconfig().toString(), "-n", namespace, "logs", "--tail=60", "-l",
                    "app.kubernetes.io/component=orchestrator").out();
        } catch (Exception | AssertionError e) {
            return "(no description: " + e.getMessage() + ")";
        }
    }

    Pod orchestratorPod() {
        List<Pod> pods = admin.pods().inNamespace(namespace)
                .withLabel("app.kubernetes.io/component", "orchestrator").list().getItems();
        assertThat(pods).hasSize(1);
        return pods.get(0);
    }

    void awaitAllEnded(long sweep, Duration timeout) {
        // a busy node can hold one answer past the client's timeout: ask again
        await("sweep " + sweep + " ended").atMost(timeout).pollInterval(Duration.ofSeconds(3)).ignoreExceptions()
                .until(() -> {
                    List<JsonNode> runs = api.runs(sweep);
                    return !runs.isEmpty() && runs.stream().allMatch(r -> ENDED.contains(r.get("state").asText()));
                });
    }

    JsonNode onlyRun(long sweep) throws Exception {
        List<JsonNode> runs = api.runs(sweep);
        assertThat(runs).hasSize(1);
        return api.run(runs.get(0).get("id").asLong());
    }

    /** The name of the pod of a running trial of the sweep, once its training container runs. */
    String runningPod(String sweepName) {
        String[] name = new String[1];
        await("a running pod of " + sweepName).atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    for (Pod p : admin.pods().inNamespace(namespace).withLabel("reprise.dev/sweep", sweepName).list()
                            .getItems()) {
                        if ("Running".equals(p.getStatus().getPhase())) {
                            name[0] = p.getMetadata().getName();
                            return true;
                        }
                    }
                    return false;
                });
        return name[0];
    }

    /** The pods of a run (every attempt), as the API server lists them now. */
    List<Pod> podsOfRun(long runId) {
        return admin.pods().inNamespace(namespace).withLabel("reprise.dev/run", Long.toString(runId)).list()
                .getItems();
    }

    /** A one-trial sweep of {@code image} running {@code command} with {@code cpu} and {@code memory}. */
    static String oneTrial(String name, String image, String cpu, String memory, String... command) {
        StringBuilder b = new StringBuilder();
        b.append("name: ").append(name).append("\nproject: e2e\nimage: ").append(image).append("\ncommand:\n");
        for (String c : command) {
            b.append("  - ").append(OneNode.JSON.valueToTree(c).toString()).append('\n');
        }
        b.append("method: grid\nparameters:\n  x:\n    value: 1\nresources:\n  cpu: ").append(cpu)
                .append("\n  memory: ").append(memory).append('\n');
        return b.toString();
    }
}
