package dev.reprise.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one-node cluster the *E2E tier runs on: an API server of {@code scripts/kube-apiserver.sh} joined by the kubelet
 * and scheduler of {@code scripts/one-node.sh} ({@code REPRISE_NODE_KUBECONFIG}), the local services of
 * {@code scripts/services.sh} (all found through the environment {@code scripts/test.sh} exports), and the images {@code scripts/one-node.sh images} builds into the
 * node. Tests fail, never skip, when a part is missing. Each deployment gets its own namespace and database.
 */
final class OneNode {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String VERSION = "0.1.0";
    static final String EXAMPLES_IMAGE = "ghcr.io/reprise-dev/reprise-examples:" + VERSION;
    private static boolean imagesBuilt;

    private OneNode() {
    }

    static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            fail(name + " is not set: run the tier through scripts/test.sh, or start the services, the API server and"
                    + " the node (scripts/services.sh start; scripts/kube-apiserver.sh start; scripts/one-node.sh start)"
                    + " and eval the env of all three");
        }
        return v;
    }

    static Path kubeconfig() {
        return Path.of(env("REPRISE_NODE_KUBECONFIG"));
    }

    static KubernetesClient admin() {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig().toFile())).build();
    }

    /** The API server's port on the node (pods on the host network reach it at 127.0.0.1). */
    static int apiServerPort(KubernetesClient admin) {
        return URI.create(admin.getConfiguration().getMasterUrl()).getPort();
    }

    static String kubectlBinary() {
        String k = System.getenv("REPRISE_KUBECTL");
        return k != null && new File(k).canExecute() ? k : "kubectl";
    }

    record Result(int exit, String out) {
    }

    static Result run(Map<String, String> extraEnv, Duration timeout, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in " + timeout);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(kubectlBinary(), "--kubeconfig", kubeconfig().toString()));
        command.addAll(List.of(args));
        Result r = run(Map.of(), Duration.ofMinutes(3), command.toArray(String[]::new));
        assertThat(r.exit()).as("kubectl %s: %s", String.join(" ", args), r.out()).isZero();
        return r.out();
    }

    static String docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/docker"));
        command.addAll(List.of(args));
        Result r = run(Map.of("DOCKER_HOST", env("REPRISE_NODE_DOCKER_HOST")), Duration.ofMinutes(1),
                command.toArray(String[]::new));
        assertThat(r.exit()).as("docker %s: %s", String.join(" ", args), r.out()).isZero();
        return r.out().strip();
    }

    /** The node's images (orchestrator, agent, examples), built once per test JVM (cached by the script). */
    static synchronized void images() throws IOException, InterruptedException {
        if (imagesBuilt) {
            return;
        }
        Result r = run(Map.of("DOCKER_HOST", env("REPRISE_NODE_DOCKER_HOST")), Duration.ofMinutes(30),
                ROOT.resolve("scripts/node-images.sh").toString());
        assertThat(r.exit()).as("scripts/node-images.sh: %s", r.out()).isZero();
        System.out.println(r.out());
        imagesBuilt = true;
    }

    /** The id (sha256 digest of the image configuration) the node has for an image. */
    static String imageId(String image) throws IOException, InterruptedException {
        return docker("image", "inspect", "-f", "{{.Id}}", image);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A fresh database of the local PostgreSQL for one deployment; returns its JDBC URL. */
    static String freshDatabase(String name) throws Exception {
        String testUrl = env("REPRISE_PG_TEST_URL");
        // as the schema owner (the migration role): the application's role may not create databases
        try (Connection c = DriverManager.getConnection(testUrl, env("REPRISE_PG_MIGRATION_USER"),
                env("REPRISE_PG_MIGRATION_PASSWORD"));
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
        return testUrl.substring(0, testUrl.lastIndexOf('/') + 1) + name;
    }

    static String randomToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return "rpr_e2e_" + HexFormat.of().formatHex(b);
    }

    /** An empty namespace (an older one of the same name is deleted first) with the credentials Secret. */
    static void freshNamespace(KubernetesClient admin, String ns, String adminToken) {
        if (admin.namespaces().withName(ns).get() != null) {
            admin.namespaces().withName(ns).delete();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> admin.namespaces().withName(ns).get() == null);
        }
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
        admin.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata()
                .withName("reprise-credentials").endMetadata()
                .addToStringData("REPRISE_PG_PASSWORD", env("REPRISE_PG_PASSWORD"))
                .addToStringData("REPRISE_PG_MIGRATION_PASSWORD", env("REPRISE_PG_MIGRATION_PASSWORD"))
                .addToStringData("REPRISE_S3_ACCESS_KEY", env("REPRISE_S3_ACCESS_KEY"))
                .addToStringData("REPRISE_S3_SECRET_KEY", env("REPRISE_S3_SECRET_KEY"))
                .addToStringData("REPRISE_ADMIN_TOKEN", adminToken)
                .addToStringData("REPRISE_KAFKA_USERNAME", env("REPRISE_KAFKA_USERNAME"))
                .addToStringData("REPRISE_KAFKA_PASSWORD", env("REPRISE_KAFKA_PASSWORD"))
                .build()).create();
        // the agents' credential, which the trial pods read (write-only on the report topics)
        admin.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata()
                .withName("reprise-kafka-agent").endMetadata()
                .addToStringData("username", env("REPRISE_KAFKA_AGENT_USERNAME"))
                .addToStringData("password", env("REPRISE_KAFKA_AGENT_PASSWORD"))
                .build()).create();
    }

    static void deleteNamespace(KubernetesClient admin, String ns) {
        admin.namespaces().withName(ns).delete();
    }

    /** The REST API of an orchestrator listening on 127.0.0.1:port (its pod is on the node's network). */
    record Api(int port, String token) {

        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        String base() {
            return "http://127.0.0.1:" + port;
        }

        int status(String path) {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                        .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1" + path))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        }

        JsonNode post(String path, String contentType, String body) throws IOException, InterruptedException {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1" + path))
                    .header("Authorization", "Bearer " + token).header("Content-Type", contentType)
                    .timeout(Duration.ofSeconds(90)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isBetween(200, 299);
            return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        }

        /** Submits a sweep document (YAML); returns the sweep's id. */
        long submit(String yaml) throws IOException, InterruptedException {
            return post("/sweeps", "application/yaml", yaml).get("id").asLong();
        }

        List<JsonNode> runs(long sweepId) throws IOException, InterruptedException {
            List<JsonNode> runs = new ArrayList<>();
            get("/sweeps/" + sweepId + "/runs?size=500&sort=index").get("items").forEach(runs::add);
            return runs;
        }

        JsonNode run(long runId) throws IOException, InterruptedException {
            return get("/runs/" + runId);
        }

        void awaitReady(Duration timeout) {
            await("orchestrator on 127.0.0.1:" + port + " ready").atMost(timeout).pollInterval(Duration.ofSeconds(2))
                    .until(() -> status("/q/health/ready") == 200);
        }
    }

    static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
