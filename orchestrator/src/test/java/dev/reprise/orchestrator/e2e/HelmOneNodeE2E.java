package dev.reprise.orchestrator.e2e;

import static dev.reprise.orchestrator.e2e.OneNode.ROOT;
import static dev.reprise.orchestrator.e2e.OneNode.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Reprise installed by its Helm chart (real Helm) into the one-node cluster, and sweeps run by it as real pods: the
 * kubelet runs the agent and the trainer in real containers, the agents report over Kafka and upload to S3, and
 * every failure below comes from the node (the kernel, the image store, the kubelet), never from the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmOneNodeE2E {

    static final String NS = "reprise-e2e";

    private static HelmRelease reprise;
    private static KubernetesClient admin;
    private static OneNode.Api api;

    @BeforeAll
    static void installTheChart() throws Exception {
        reprise = HelmRelease.install(NS, "reprise_e2e_helm", Map.of());
        admin = reprise.admin();
        api = reprise.api();
    }

    @AfterAll
    static void uninstall() {
        if (reprise != null) {
            reprise.close();
        }
    }

    @Test
    @Order(1)
    void theChartDeploysAnOrchestratorPodThatServesWithOnlyItsOwnRole() throws Exception {
        Pod pod = reprise.orchestratorPod();
        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        assertThat(pod.getSpec().getNodeName()).isEqualTo(env("REPRISE_NODE_NAME"));
        assertThat(pod.getSpec().getContainers().get(0).getImage())
                .isEqualTo("ghcr.io/reprise-dev/reprise-orchestrator:" + OneNode.VERSION);
        // served through the pod (on the node's network), API and health
        assertThat(api.status("/q/health/ready")).isEqualTo(200);
        assertThat(api.get("/whoami").get("subject").asText()).isNotEmpty();
        // in-cluster configuration: the pod's ServiceAccount, bound to the chart's Role only
        String sa = pod.getSpec().getServiceAccountName();
        assertThat(sa).isEqualTo(HelmRelease.NAME + "-reprise");
        String as = "--as=system:serviceaccount:" + NS + ":" + sa;
        assertThat(OneNode.run(java.util.Map.of(), Duration.ofMinutes(1), OneNode.kubectlBinary(), "--kubeconfig",
                OneNode.kubeconfig().toString(), "auth", "can-i", "create", "jobs.batch", "-n", NS, as).out().strip())
                .isEqualTo("yes");
        assertThat(OneNode.run(java.util.Map.of(), Duration.ofMinutes(1), OneNode.kubectlBinary(), "--kubeconfig",
                OneNode.kubeconfig().toString(), "auth", "can-i", "get", "secrets", "-n", NS, as).out().strip())
                .isEqualTo("no");
    }

    @Test
    @Order(2)
    void theDigitsGridRunsAsRealPodsAndEveryTrialSucceeds() throws Exception {
        String yaml = OneNode.read(ROOT.resolve("examples/digits-grid.yaml"));
        long sweep = api.submit(yaml);
        reprise.awaitAllEnded(sweep, Duration.ofMinutes(20));
        List<JsonNode> runs = api.runs(sweep);
        assertThat(runs).hasSize(12);
        assertThat(runs).allSatisfy(r -> assertThat(r.get("state").asText()).as(r.toString()).isEqualTo("SUCCEEDED"));

        String listing = OneNode.kubectl("-n", NS, "get", "jobs,pods", "-l", "reprise.dev/sweep=digits-grid",
                "-o", "wide");
        System.out.println("kubectl get jobs,pods -l reprise.dev/sweep=digits-grid\n" + listing);
        String jobs = OneNode.kubectl("-n", NS, "get", "jobs", "-l", "reprise.dev/sweep=digits-grid", "-o", "name");
        assertThat(jobs.strip().lines()).hasSize(12);

        String digest = OneNode.imageId(OneNode.EXAMPLES_IMAGE);
        for (JsonNode r : runs) {
            long id = r.get("id").asLong();
            JsonNode run = api.run(id);
            assertThat(run.at("/provenance/imageDigest").asText()).as("run %d", id).isEqualTo(digest);
            assertThat(run.at("/provenance/nodeName").asText()).isEqualTo(env("REPRISE_NODE_NAME"));
            JsonNode metrics = api.get("/runs/" + id + "/metrics");
            assertThat(metrics.get("keys").findValuesAsText("key")).contains("val_accuracy");
            assertThat(metrics.at("/attempts/0/exitCode").asInt(-1)).isZero();
        }

        // artifacts and archived logs are in S3 once the pods are gone
        OneNode.kubectl("-n", NS, "delete", "jobs", "-l", "reprise.dev/sweep=digits-grid", "--wait=true");
        long first = runs.get(0).get("id").asLong();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> api.get("/runs/" + first + "/artifacts").get("logs").size() > 0);
        JsonNode artifacts = api.get("/runs/" + first + "/artifacts");
        assertThat(artifacts.get("fileCount").asInt()).isPositive();
        String log = archivedLog(first);
        assertThat(log).contains("val_accuracy");

        // the best run is the one the deterministic trainer picks when run here, outside any pod and agent, with
        // each run's parameters and seed: the same parameters, the same last val_accuracy, bit for bit
        JsonNode best = api.get("/sweeps/" + sweep).get("best");
        java.util.Map<Long, Double> local = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (JsonNode r : runs) {
                done.add(pool.submit(() -> {
                    local.put(r.get("id").asLong(), localObjective(api.run(r.get("id").asLong())));
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(10, java.util.concurrent.TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        double localBest = local.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        System.out.println("digits-grid: best run " + best + "; the trainer run here: " + local);
        assertThat(best.get("value").asDouble()).isEqualTo(localBest);
        assertThat(local.get(best.get("runId").asLong())).isEqualTo(localBest);
        JsonNode rows = api.get("/sweeps/" + sweep + "/table?size=100").get("items");
        assertThat(rows).hasSize(12);
        for (JsonNode row : rows) {
            assertThat(row.at("/metrics/val_accuracy/last").asDouble()).as("run %s", row.get("id"))
                    .isEqualTo(local.get(row.get("id").asLong()));
        }
    }

    /**
     * The last val_accuracy of the digits trainer run on this machine (plain {@code java}, no agent) with a run's
     * parameters (as {@code ${args}} renders them) and seed.
     */
    static double localObjective(JsonNode run) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command()
                .orElse("java"), "examples/trainers/DigitsMlp.java"));
        run.get("parameters").fields().forEachRemaining(e -> command.add("--" + e.getKey() + "="
                + e.getValue().asText()));
        OneNode.Result r = OneNode.run(java.util.Map.of("REPRISE_SEED", run.at("/provenance/seed").asText()),
                Duration.ofMinutes(5), command.toArray(String[]::new));
        assertThat(r.exit()).as("%s: %s", command, r.out()).isZero();
        double last = Double.NaN;
        for (String line : r.out().lines().toList()) {
            if (line.startsWith("{") && line.contains("\"val_accuracy\"")) {
                last = OneNode.JSON.readTree(line).get("val_accuracy").asDouble();
            }
        }
        assertThat(last).as("val_accuracy in %s", r.out()).isNotNaN();
        return last;
    }

    /** The archived log of a run, fetched from the object store through the API's presigned redirect. */
    static String archivedLog(long runId) throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<Void> redirect = http.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/runs/" + runId
                + "/logs/archive")).header("Authorization", "Bearer " + api.token()).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(redirect.statusCode()).isEqualTo(307);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(env("REPRISE_S3_ENDPOINT"));
        byte[] gz = http.send(HttpRequest.newBuilder(URI.create(location)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @Order(3)
    void realFailuresAreClassifiedByTheirCause() throws Exception {
        long oom = api.submit(HelmRelease.oneTrial("oom", OneNode.EXAMPLES_IMAGE, "100m", "200Mi", "python3",
                "-c",
                "import time\nx = bytearray(600 * 1024 * 1024)\nfor i in range(0, len(x), 4096): x[i] = 1\n"
                        + "time.sleep(30)"));
        long missing = api.submit(HelmRelease.oneTrial("missing-image", "reprise.local/no-such-image:1", "100m", "64Mi",
                "true"));
        long exit1 = api.submit(HelmRelease.oneTrial("exit-one", OneNode.EXAMPLES_IMAGE, "100m", "256Mi", "python3",
                "-c",
                "import sys; print('giving up'); sys.exit(1)"));

        reprise.awaitAllEnded(oom, Duration.ofMinutes(6));
        JsonNode oomRun = reprise.onlyRun(oom);
        assertThat(oomRun.get("state").asText()).as(oomRun.toString()).isEqualTo("FAILED");
        assertThat(oomRun.get("failureCause").asText()).as(oomRun.toString()).isEqualTo("OOM_KILLED");

        reprise.awaitAllEnded(exit1, Duration.ofMinutes(6));
        JsonNode exitRun = reprise.onlyRun(exit1);
        assertThat(exitRun.get("state").asText()).as(exitRun.toString()).isEqualTo("FAILED");
        assertThat(exitRun.get("failureCause").asText()).as(exitRun.toString()).isEqualTo("USER_ERROR");
        assertThat(exitRun.get("exitCode").asInt()).isEqualTo(1);

        reprise.awaitAllEnded(missing, Duration.ofMinutes(6));
        JsonNode missingRun = reprise.onlyRun(missing);
        assertThat(missingRun.get("state").asText()).as(missingRun.toString()).isEqualTo("FAILED");
        assertThat(missingRun.get("failureCause").asText()).as(missingRun.toString()).isEqualTo("IMAGE_PULL");
    }

    /** A digits trial stretched in time (a pause after each epoch), so that the test can act while it trains. */
    static String slowDigits(String name, int trials) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < trials; i++) {
            values.append(i == 0 ? "" : ", ").append(16 * (i + 1));
        }
        return "name: " + name + "\nproject: e2e\nimage: " + OneNode.EXAMPLES_IMAGE + "\ncommand:\n"
                + "  - java\n  - examples/trainers/DigitsMlp.java\n  - ${args}\nmethod: grid\n"
                + "metric:\n  name: val_accuracy\n  goal: maximize\nparameters:\n"
                + "  hidden_units:\n    values: [" + values + "]\n  epochs:\n    value: 40\n"
                + "  epoch_delay_ms:\n    value: 1500\nparallelism: " + trials + "\n"
                + "resources:\n  cpu: 100m\n  memory: 512Mi\n";
    }

    @Test
    @Order(4)
    void aPodDeletedDuringTrainingIsPreemptedAndRetriedNotFailed() throws Exception {
        long sweep = api.submit(slowDigits("delete-pod", 1));
        String pod = reprise.runningPod("delete-pod");
        // metrics are flowing: the trainer really is in the middle of training
        long runId = api.runs(sweep).get(0).get("id").asLong();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> api.get("/runs/" + runId + "/metrics").get("keys").findValuesAsText("key")
                        .contains("val_accuracy"));
        OneNode.kubectl("-n", NS, "delete", "pod", pod, "--wait=false");

        reprise.awaitAllEnded(sweep, Duration.ofMinutes(10));
        JsonNode run = api.run(runId);
        assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        // attempts count from 0: the deleted pod's attempt was 0, the one that finished is a later one
        assertThat(run.get("attempt").asInt()).as(run.toString()).isGreaterThanOrEqualTo(1);
        assertThat(run.get("failureCause").isNull()).as(run.toString()).isTrue();
    }

    @Test
    @Order(5)
    void cancellingASweepRemovesItsRealPods() throws Exception {
        long sweep = api.submit(slowDigits("cancel-me", 2));
        reprise.runningPod("cancel-me");
        api.post("/sweeps/" + sweep + "/cancel", "application/json", "");
        await("the pods of a cancelled sweep are gone").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> admin.pods().inNamespace(NS).withLabel("reprise.dev/sweep", "cancel-me").list()
                        .getItems().isEmpty());
        assertThat(api.runs(sweep)).allSatisfy(r -> assertThat(r.get("state").asText()).isEqualTo("CANCELLED"));
    }

    @Test
    @Order(6)
    void theOrchestratorsPodForceDeletedMidSweepComesBackWithExactlyOneJobPerTrial() throws Exception {
        long sweep = api.submit(slowDigits("orchestrator-kill", 3).replace("value: 40", "value: 12"));
        reprise.runningPod("orchestrator-kill");
        String old = reprise.orchestratorPod().getMetadata().getName();
        OneNode.kubectl("-n", NS, "delete", "pod", old, "--force", "--grace-period=0");
        await("a new orchestrator pod").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> admin.pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "orchestrator")
                        .list().getItems().stream().anyMatch(p -> !p.getMetadata().getName().equals(old)));
        api.awaitReady(Duration.ofMinutes(5));

        reprise.awaitAllEnded(sweep, Duration.ofMinutes(15));
        List<JsonNode> runs = api.runs(sweep);
        assertThat(runs).hasSize(3);
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.get("state").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
            assertThat(r.get("attempt").asInt()).as(r.toString()).isZero(); // the first attempt, never relaunched
        });
        String jobs = OneNode.kubectl("-n", NS, "get", "jobs", "-l", "reprise.dev/sweep=orchestrator-kill", "-o",
                "name");
        assertThat(jobs.strip().lines()).hasSize(3);
    }

    @Test
    @Order(7)
    void aTrialOverItsTimeLimitIsStoppedByTheJobControllerAndFailsWithTheTimeLimitCause() throws Exception {
        // 40 epochs of 1.5 s: a minute and more of training, with a limit of 25 s
        long sweep = api.submit(slowDigits("time-limit", 1).replace("memory: 512Mi\n",
                "memory: 512Mi\n  timeLimit: 25s\n"));
        String pod = reprise.runningPod("time-limit");
        String deadline = OneNode.kubectl("-n", NS, "get", "jobs", "-l", "reprise.dev/sweep=time-limit", "-o",
                "jsonpath={.items[0].spec.activeDeadlineSeconds}");
        assertThat(deadline.strip()).isEqualTo("25");

        reprise.awaitAllEnded(sweep, Duration.ofMinutes(6));
        JsonNode run = reprise.onlyRun(sweep);
        assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("FAILED");
        assertThat(run.get("failureCause").asText()).as(run.toString()).isEqualTo("TIME_LIMIT");
        assertThat(run.get("message").asText()).contains("time limit");
        assertThat(run.get("attempt").asInt()).as("not retried: %s", run).isZero();
        // the node really stopped the training pod
        await("the timed-out pod is gone").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> admin.pods().inNamespace(NS).withName(pod).get() == null);
        assertThat(api.get("/sweeps/" + sweep).get("status").asText()).isEqualTo("FAILED");
    }

    @Test
    @Order(8)
    void earlyStoppingRemovesTheStoppedTrialsRealPodAndRecordsWhy() throws Exception {
        // one trial at a time, in grid order: a good learning rate completes, then a hopeless one is judged against
        // it at step 2 (median rule) while its pod still has a dozen slow epochs to go
        long sweep = api.submit("name: stop-early\nproject: e2e\nimage: " + OneNode.EXAMPLES_IMAGE + "\ncommand:\n"
                + "  - java\n  - examples/trainers/DigitsMlp.java\n  - ${args}\nmethod: grid\n"
                + "metric:\n  name: val_accuracy\n  goal: maximize\n"
                + "early_terminate:\n  type: median\n  min_iter: 2\n  min_trials: 1\n"
                + "parameters:\n  learning_rate:\n    values: [0.1, 0.00001]\n  hidden_units:\n    value: 32\n"
                + "  epochs:\n    value: 15\n  epoch_delay_ms:\n    value: 1500\nparallelism: 1\n"
                + "resources:\n  cpu: 100m\n  memory: 512Mi\n");
        reprise.awaitAllEnded(sweep, Duration.ofMinutes(12));
        List<JsonNode> runs = api.runs(sweep);
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).get("state").asText()).as(runs.get(0).toString()).isEqualTo("SUCCEEDED");
        JsonNode stopped = api.run(runs.get(1).get("id").asLong());
        assertThat(stopped.get("state").asText()).as(stopped.toString()).isEqualTo("STOPPED_EARLY");
        assertThat(stopped.get("failureCause").isNull()).as(stopped.toString()).isTrue();
        assertThat(stopped.get("message").asText() + " " + stopped.get("stopReason").asText())
                .as(stopped.toString()).containsIgnoringCase("median");
        // it was stopped while training: fewer epochs than asked for reached the orchestrator
        assertThat(api.get("/runs/" + stopped.get("id").asLong() + "/metrics").toString()).isNotEmpty();
        await("the stopped trial's pods are gone").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> admin.pods().inNamespace(NS).withLabel("reprise.dev/run", stopped.get("id").asText())
                        .list().getItems().isEmpty());
        System.out.println("stop-early: " + stopped);
    }

    @Test
    @Order(9)
    void aCordonedAndDrainedNodePreemptsTheTrialWhichWaitsForTheNodeAndSucceedsAfterUncordon() throws Exception {
        String node = env("REPRISE_NODE_NAME");
        long sweep = api.submit(slowDigits("drain", 1).replace("value: 40", "value: 20"));
        String pod = reprise.runningPod("drain");
        long runId = api.runs(sweep).get(0).get("id").asLong();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> api.get("/runs/" + runId + "/metrics").get("keys").findValuesAsText("key")
                        .contains("val_accuracy"));
        try {
            OneNode.kubectl("cordon", node);
            // evicts every pod of the node: the trial's, and the orchestrator's own (one node: nowhere to go)
            OneNode.kubectl("drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--force",
                    "--timeout=5m");
            assertThat(admin.pods().inNamespace(NS).withName(pod).get()).isNull();
            // while the only node is cordoned, nothing of the trial runs: a pod of it (the Job controller's
            // replacement, or the next attempt's) waits unscheduled, and so does the orchestrator's
            await("nothing of the trial runs while the node is cordoned").during(Duration.ofSeconds(30))
                    .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> admin.pods().inNamespace(NS).withLabel("reprise.dev/run", String.valueOf(runId))
                            .list().getItems().stream().allMatch(p -> p.getSpec().getNodeName() == null));
            System.out.println("drain: while cordoned\n" + OneNode.kubectl("-n", NS, "get", "jobs,pods", "-o",
                    "wide"));
        } finally {
            OneNode.kubectl("uncordon", node);
        }
        api.awaitReady(Duration.ofMinutes(5));
        reprise.awaitAllEnded(sweep, Duration.ofMinutes(10));
        JsonNode run = api.run(runId);
        System.out.println("drain: " + run);
        assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("failureCause").isNull()).as("a drain is not a failure: %s", run).isTrue();
        assertThat(api.get("/sweeps/" + sweep).get("status").asText()).isEqualTo("SUCCEEDED");
    }
}
