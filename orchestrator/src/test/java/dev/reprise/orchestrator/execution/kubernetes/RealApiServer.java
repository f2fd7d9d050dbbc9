package dev.reprise.orchestrator.execution.kubernetes;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real Kubernetes API server these tests run against: the one {@code scripts/kube-apiserver.sh start} runs
 * (kube-apiserver 1.20 with etcd and kube-controller-manager), found through {@code REPRISE_KUBECONFIG} (or
 * {@code KUBECONFIG}). Tests fail, never skip, when it is not there.
 */
final class RealApiServer {

    static final Duration WAIT = Duration.ofSeconds(60);

    private RealApiServer() {
    }

    static Path kubeconfig() {
        String path = System.getenv("REPRISE_KUBECONFIG");
        if (path == null || path.isBlank()) {
            path = System.getenv("KUBECONFIG");
        }
        if (path == null || path.isBlank() || !new File(path).isFile()) {
            fail("no Kubernetes API server: set REPRISE_KUBECONFIG (scripts/kube-apiserver.sh build && "
                    + "scripts/kube-apiserver.sh start && eval \"$(scripts/kube-apiserver.sh env)\"); scripts/test.sh "
                    + "does this");
        }
        return Path.of(path);
    }

    /** A client with the kubeconfig's (admin) credentials. */
    static KubernetesClient adminClient() {
        Path kubeconfig = kubeconfig();
        Config config = Config.fromKubeconfig(kubeconfig.toFile());
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** A client for the same server authenticated only by {@code token}. */
    static KubernetesClient tokenClient(KubernetesClient admin, String token) {
        Config base = admin.getConfiguration();
        Config config = new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl(base.getMasterUrl())
                .withCaCertData(base.getCaCertData())
                .withCaCertFile(base.getCaCertFile())
                .withOauthToken(token)
                .withNamespace(base.getNamespace())
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** kubectl 1.20 built beside the server ({@code REPRISE_KUBECTL}), or kubectl from PATH. */
    static String kubectl() {
        String k = System.getenv("REPRISE_KUBECTL");
        if (k != null && new File(k).canExecute()) {
            return k;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "kubectl");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return fail("no kubectl: set REPRISE_KUBECTL (scripts/kube-apiserver.sh env prints it)");
    }

    /** Runs kubectl against the server; returns its standard output (fails the test on a non-zero exit). */
    static String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(kubectl(), "--kubeconfig", kubeconfig().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("kubectl " + String.join(" ", args) + " did not finish");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail("kubectl " + String.join(" ", args) + " exited " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    /** A new namespace with its default ServiceAccount (pods cannot be created before it exists). */
    static String freshNamespace(KubernetesClient admin, String prefix) {
        String ns = (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                .addToLabels("reprise.dev/test", "true").endMetadata().build()).create();
        await().atMost(WAIT).until(() -> admin.serviceAccounts().inNamespace(ns).withName("default").get() != null);
        return ns;
    }

    /** Deletes a test namespace, first removing pods bound to nodes that do not exist (they would never go). */
    static void deleteNamespace(KubernetesClient admin, String ns) {
        try {
            admin.pods().inNamespace(ns).withGracePeriod(0).delete();
            admin.namespaces().withName(ns).delete();
        } catch (RuntimeException e) {
            // best effort: a leftover namespace does not affect other tests (each uses its own)
        }
    }

    /** Pods the Job controller created for an attempt. */
    static List<Pod> podsOf(KubernetesClient admin, String ns, AttemptKey key) {
        return admin.pods().inNamespace(ns)
                .withLabel(TrialLabels.RUN, Long.toString(key.runId()))
                .withLabel(TrialLabels.ATTEMPT, Integer.toString(key.attempt()))
                .list().getItems();
    }

    static Pod awaitPod(KubernetesClient admin, String ns, AttemptKey key) {
        await().atMost(WAIT).until(() -> !podsOf(admin, ns, key).isEmpty());
        return podsOf(admin, ns, key).get(0);
    }

    /** What the kubelet would do: write the pod's status (pods/status subresource). */
    static void setPodStatus(KubernetesClient admin, String ns, Pod pod, PodStatus status) {
        admin.pods().inNamespace(ns).withName(pod.getMetadata().getName()).editStatus(p -> {
            PodStatus s = status;
            if ((status.getConditions() == null || status.getConditions().isEmpty()) && p.getStatus() != null) {
                s = new io.fabric8.kubernetes.api.model.PodStatusBuilder(status)
                        .withConditions(p.getStatus().getConditions()).build();
            }
            return new PodBuilder(p).withStatus(s).build();
        });
    }

    /**
     * Registers a Node object of that name unless there is one. Pods bound to a node the API server does not know are
     * orphans to the controller-manager's pod garbage collector, which deletes them on its next pass (every 20 s):
     * a test's trial then looks preempted at random moments.
     */
    static void ensureNode(KubernetesClient admin, String node) {
        if (admin.nodes().withName(node).get() != null) {
            return;
        }
        try {
            admin.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName(node)
                    .endMetadata().build()).create();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    /** What the scheduler would do: bind the pod to a node. */
    static void bind(KubernetesClient admin, String ns, Pod pod, String node) {
        admin.bindings().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.BindingBuilder()
                .withNewMetadata().withName(pod.getMetadata().getName()).endMetadata()
                .withNewTarget().withApiVersion("v1").withKind("Node").withName(node).endTarget()
                .build()).create();
    }
}
