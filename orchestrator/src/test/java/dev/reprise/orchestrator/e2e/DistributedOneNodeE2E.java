package dev.reprise.orchestrator.e2e;

import static dev.reprise.orchestrator.e2e.OneNode.ROOT;
import static dev.reprise.orchestrator.e2e.OneNode.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.orchestrator.execution.DistributedEnv;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Distributed trials ({@code resources.nodes: 2}, ADR 0008) as real pods of one Job on the one-node cluster (1.20: no
 * Indexed Jobs, no cluster DNS), run by an orchestrator installed with the Helm chart ({@link HelmRelease}): both
 * agents meet at the orchestrator's rendezvous and learn their rank and rank 0's address there. Everything that goes
 * wrong below is done to real pods by the node or by kubectl: a rank's process exits non-zero, the scheduler cannot
 * place a rank (the node has too little CPU left for it), a rank's pod is deleted mid-training.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributedOneNodeE2E {

    static final String NS = "reprise-e2e-dist";
    /** Short enough for a test, long enough for two agents to start on a busy 2-core node. */
    static final Duration START_DEADLINE = Duration.ofSeconds(120);

    private static HelmRelease reprise;
    private static KubernetesClient admin;
    private static OneNode.Api api;

    @BeforeAll
    static void installTheChart() throws Exception {
        reprise = HelmRelease.install(NS, "reprise_e2e_dist",
                Map.of("extraEnv.REPRISE_DISTRIBUTED_START_DEADLINE", START_DEADLINE.toSeconds() + "s"));
        admin = reprise.admin();
        api = reprise.api();
    }

    @AfterAll
    static void uninstall() {
        if (reprise != null) {
            reprise.close();
        }
    }

    /** Each case ends with nothing of its trials running: the next one starts on an empty node. */
    @AfterEach
    void noTrialPodIsLeftRunning() {
        await("no trial pod running").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                .until(() -> admin.pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "trial").list()
                        .getItems().stream().noneMatch(DistributedOneNodeE2E::holdsTheNode));
    }

    /** A pod that is (or may still be) running or waiting to run: not ended, not on its way out. */
    static boolean holdsTheNode(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    /** A 2-node trial of the examples image, every rank running {@code script} with {@code sh -c}. */
    static String twoNodes(String name, String cpu, String script) {
        return HelmRelease.oneTrial(name, OneNode.EXAMPLES_IMAGE, cpu, "256Mi", "sh", "-c", script) + "  nodes: 2\n";
    }

    static List<String> lines(long runId, int rank) throws Exception {
        return api.get("/runs/" + runId + "/logs?rank=" + rank + "&size=500").get("items").findValuesAsText("text");
    }

    /** The pod (host) each rank of the run's current attempt ran on, by rank, once both ranks reported. */
    static List<String> rankPods(long runId) {
        List<String> pods = new ArrayList<>();
        await("both ranks of run " + runId + " reported").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
                    JsonNode ranks = api.run(runId).get("ranks");
                    assertThat(ranks).as(String.valueOf(ranks)).isNotNull().hasSize(2);
                    pods.clear();
                    ranks.forEach(r -> pods.add(r.get("hostname").asText()));
                });
        return pods;
    }

    /**
     * Moved here from HelmOneNodeE2E: both agents meet at the orchestrator's rendezvous, learn their rank and rank
     * 0's pod IP, start their command only then, and report rank by rank (each rank's lines served by rank).
     */
    @Test
    @Order(1)
    void aTwoNodeTrialRunsAsTwoRealPodsThatMeetAtTheRendezvousAndReportRankByRank() throws Exception {
        long sweep = api.submit(twoNodes("ddp-pods", "100m",
                "echo rank $NODE_RANK of $WORLD_SIZE nodes $NNODES master $MASTER_ADDR:$MASTER_PORT; sleep 3"));
        reprise.awaitAllEnded(sweep, Duration.ofMinutes(8));
        JsonNode run = reprise.onlyRun(sweep);
        assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        long runId = run.get("id").asLong();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            JsonNode ranks = api.run(runId).get("ranks");
            assertThat(ranks).as(String.valueOf(ranks)).isNotNull().hasSize(2);
            for (int rank = 0; rank < 2; rank++) {
                assertThat(ranks.get(rank).get("rank").asInt()).isEqualTo(rank);
                assertThat(ranks.get(rank).get("state").asText()).isEqualTo("EXITED");
                assertThat(ranks.get(rank).get("exitCode").asInt()).isZero();
            }
            // two pods (on the host network of one node): each rank's host is its pod
            assertThat(ranks.get(0).get("hostname").asText()).startsWith("ddp-pods-")
                    .isNotEqualTo(ranks.get(1).get("hostname").asText());
            String master = null;
            for (int rank = 0; rank < 2; rank++) {
                List<String> lines = lines(runId, rank);
                String line = lines.stream().filter(l -> l.startsWith("rank ")).findFirst().orElse("");
                assertThat(line).as("rank %d's lines: %s", rank, lines)
                        .startsWith("rank " + rank + " of 2 nodes 2 master ")
                        // the pods share the node's network: the attempt's own port, not every trial's 29500
                        .endsWith(":" + DistributedEnv.sharedNetworkPort(runId, 0));
                String thisMaster = line.substring(line.indexOf("master ") + 7);
                assertThat(master == null || master.equals(thisMaster)).as("both ranks see one master").isTrue();
                master = thisMaster;
            }
        });
    }

    /**
     * The PyTorch example (examples/ddp-linear-2nodes.yaml, in the examples image) as real pods, both of its trials at
     * once (parallelism 2: four ranks on one node's shared network, each trial's rank 0 on its own port): gloo forms
     * each process group across two pods from the rendezvous' MASTER_ADDR and MASTER_PORT, the gradients are really
     * all-reduced (both ranks print the same all-reduced norm every epoch), and each run's objective is rank 0's.
     */
    @Test
    @Order(2)
    void thePyTorchExampleTrainsDataParallelAcrossRealPodsTwoTrialsAtOnceWithTheObjectiveFromRankZero()
            throws Exception {
        String yaml = OneNode.read(ROOT.resolve("examples/ddp-linear-2nodes.yaml"))
                .replaceFirst("(?m)^image: .*$", "image: " + OneNode.EXAMPLES_IMAGE)
                .replaceFirst("(?m)^  cpu: .*$", "  cpu: 100m")
                .replaceFirst("(?m)^parallelism: .*$", "parallelism: 2");
        long sweep = api.submit(yaml);
        reprise.awaitAllEnded(sweep, Duration.ofMinutes(12));
        List<JsonNode> runs = api.runs(sweep);
        assertThat(runs).hasSize(2);
        // the two trials trained at the same time: each started before the other finished
        JsonNode a = api.run(runs.get(0).get("id").asLong());
        JsonNode b = api.run(runs.get(1).get("id").asLong());
        assertThat(java.time.Instant.parse(a.get("startedAt").asText()))
                .isBefore(java.time.Instant.parse(b.get("finishedAt").asText()));
        assertThat(java.time.Instant.parse(b.get("startedAt").asText()))
                .isBefore(java.time.Instant.parse(a.get("finishedAt").asText()));
        Pattern norm = Pattern.compile("^\\[rank (\\d)] epoch (\\d+): all-reduced gradient norm ([0-9.]+)$");
        for (JsonNode r : runs) {
            JsonNode run = api.run(r.get("id").asLong());
            assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
            long runId = run.get("id").asLong();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                    .untilAsserted(() -> {
                        List<List<String>> norms = new ArrayList<>();
                        for (int rank = 0; rank < 2; rank++) {
                            List<String> mine = new ArrayList<>();
                            for (String line : lines(runId, rank)) {
                                Matcher m = norm.matcher(line);
                                if (m.matches()) {
                                    assertThat(Integer.parseInt(m.group(1))).isEqualTo(rank);
                                    mine.add(m.group(2) + " " + m.group(3));
                                }
                            }
                            norms.add(mine);
                        }
                        System.out.println("ddp-linear run " + runId + " " + run.get("parameters")
                                + ": all-reduced norms by rank " + norms);
                        assertThat(norms.get(0)).hasSize(6);
                        assertThat(norms.get(1)).isEqualTo(norms.get(0));
                    });
            // the objective is rank 0's loss: its last step line, as rank 0's log shows it
            String last = lines(runId, 0).stream().filter(l -> l.startsWith("step=6 loss=")).findFirst()
                    .orElseThrow();
            JsonNode row = null;
            for (JsonNode x : api.get("/sweeps/" + sweep + "/table?size=100").get("items")) {
                row = x.get("id").asLong() == runId ? x : row;
            }
            assertThat(row).as("run %d in the sweep's table", runId).isNotNull();
            assertThat(row.at("/metrics/loss/last").asDouble()).as("run %d: %s, rank 0: %s", runId, row, last)
                    .isEqualTo(Double.parseDouble(last.substring("step=6 loss=".length())));
            assertThat(lines(runId, 1)).noneMatch(l -> l.startsWith("step="));
        }
    }

    @Test
    @Order(3)
    void aRankExitingNonZeroFailsTheAttemptNamingThatRankAndEveryOtherRankIsStopped() throws Exception {
        long sweep = api.submit(twoNodes("rank-fails", "100m",
                "echo rank $NODE_RANK training; if [ \"$NODE_RANK\" = 1 ]; then sleep 5; echo rank 1 gives up;"
                        + " exit 3; fi; sleep 600"));
        reprise.awaitAllEnded(sweep, Duration.ofMinutes(8));
        JsonNode run = reprise.onlyRun(sweep);
        long runId = run.get("id").asLong();
        System.out.println("rank-fails: " + run);
        assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("FAILED");
        assertThat(run.get("failureCause").asText()).as(run.toString()).isEqualTo("USER_ERROR");
        assertThat(run.get("exitCode").asInt()).isEqualTo(3);
        assertThat(run.get("attempt").asInt()).as("a user error is not retried: %s", run).isZero();
        List<String> pods = rankPods(runId);
        assertThat(run.get("message").asText()).as(run.toString())
                .startsWith("rank 1 (pod " + pods.get(1) + " on node " + env("REPRISE_NODE_NAME") + "): ")
                .endsWith("the other ranks were stopped");
        // rank 0 (sleeping for 10 minutes) was stopped, not left running: its pod is gone; rank 1's failed pod is
        // kept with its Job for inspection, holding nothing
        await("rank 0's pod is gone").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> admin.pods().inNamespace(NS).withName(pods.get(0)).get() == null);
        // and its agent says so: it got SIGTERM, passed it to the command and reported the end
        await("rank 0's agent reports it was stopped").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
                    JsonNode rank0 = api.run(runId).get("ranks").get(0);
                    assertThat(rank0.get("state").asText()).as(rank0.toString()).isEqualTo("EXITED");
                    assertThat(rank0.get("stopReason").asText()).as(rank0.toString()).isEqualTo("TERMINATED");
                });
        System.out.println("rank-fails: " + OneNode.kubectl("-n", NS, "get", "jobs,pods", "-l",
                "reprise.dev/run=" + runId, "-o", "wide"));
        assertThat(reprise.podsOfRun(runId)).noneMatch(DistributedOneNodeE2E::holdsTheNode);
        assertThat(lines(runId, 1)).contains("rank 1 gives up");
        assertThat(lines(runId, 0)).contains("rank 0 training");
    }

    @Test
    @Order(4)
    void aRankTheNodeCannotPlaceEndsTheAttemptAtTheStartDeadlineAndReleasesEveryPod() throws Exception {
        // CPU for one rank and not for two: the scheduler places one pod; the other stays Pending, unschedulable
        String cpu = (freeCpuMillis() * 6 / 10) + "m";
        long sweep = api.submit(twoNodes("never-all-up", cpu, "echo rank $NODE_RANK training; sleep 5"));
        long runId = api.runs(sweep).get(0).get("id").asLong();
        String[] placed = new String[1];
        await("one rank running, the other unschedulable").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1)).until(() -> {
                    List<Pod> pods = reprise.podsOfRun(runId);
                    Optional<Pod> running = pods.stream().filter(p -> "Running".equals(p.getStatus().getPhase()))
                            .findFirst();
                    running.ifPresent(p -> placed[0] = p.getMetadata().getName());
                    return pods.size() == 2 && running.isPresent() && pods.stream().anyMatch(p ->
                            p.getStatus().getConditions().stream().anyMatch(c -> "PodScheduled".equals(c.getType())
                                    && "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason())));
                });
        System.out.println("never-all-up (cpu " + cpu + " a rank): " + OneNode.kubectl("-n", NS, "get", "pods", "-l",
                "reprise.dev/run=" + runId, "-o", "wide"));

        reprise.awaitAllEnded(sweep, START_DEADLINE.plus(Duration.ofMinutes(4)));
        JsonNode run = api.run(runId);
        System.out.println("never-all-up: " + run);
        assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("FAILED");
        assertThat(run.get("failureCause").asText()).as(run.toString()).isEqualTo("START_DEADLINE");
        assertThat(run.get("message").asText()).as(run.toString())
                .contains("1 rank of 2 never registered (registered: " + placed[0] + " on "
                        + env("REPRISE_NODE_NAME") + ")")
                .contains("every pod was released");
        assertThat(run.get("attempt").asInt()).as("not retried by default: %s", run).isZero();
        // all or nothing: the rank that was up waited at the rendezvous and never started its command
        assertThat(api.get("/runs/" + runId + "/logs?size=500").get("items").findValuesAsText("text"))
                .noneMatch(l -> l.contains("training"));
        await("every pod of the attempt released").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> reprise.podsOfRun(runId).isEmpty());
        assertThat(admin.batch().v1().jobs().inNamespace(NS).withLabel("reprise.dev/run", Long.toString(runId))
                .list().getItems()).isEmpty();
    }

    /** The node's allocatable CPU less what the pods on it request (the orchestrator's, here), in millicores. */
    static long freeCpuMillis() {
        Node node = admin.nodes().withName(env("REPRISE_NODE_NAME")).get();
        BigDecimal free = Quantity.getAmountInBytes(node.getStatus().getAllocatable().get("cpu"));
        for (Pod p : admin.pods().inAnyNamespace().withField("spec.nodeName", env("REPRISE_NODE_NAME")).list()
                .getItems()) {
            if (holdsTheNode(p)) {
                BigDecimal containers = BigDecimal.ZERO;
                for (Container c : p.getSpec().getContainers()) {
                    containers = containers.add(cpuRequest(c));
                }
                BigDecimal init = p.getSpec().getInitContainers().stream().map(DistributedOneNodeE2E::cpuRequest)
                        .reduce(BigDecimal.ZERO, BigDecimal::max);
                free = free.subtract(containers.max(init));
            }
        }
        long millis = free.movePointRight(3).longValue();
        assertThat(millis).as("free CPU on the node").isGreaterThan(400);
        return millis;
    }

    static BigDecimal cpuRequest(Container c) {
        Quantity q = c.getResources() == null || c.getResources().getRequests() == null ? null
                : c.getResources().getRequests().get("cpu");
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }

    @Test
    @Order(5)
    void aRankPodDeletedDuringTrainingPreemptsTheWholeAttemptAndTheNextAttemptRestartsEveryRank() throws Exception {
        // the first attempt trains for minutes (time to act), a later one for a few seconds
        long sweep = api.submit(twoNodes("rank-deleted", "100m",
                "echo rank $NODE_RANK up in attempt $REPRISE_ATTEMPT; if [ \"$REPRISE_ATTEMPT\" = 0 ];"
                        + " then sleep 600; else sleep 5; fi; echo rank $NODE_RANK done"));
        long runId = api.runs(sweep).get(0).get("id").asLong();
        // both ranks of attempt 0 are past the rendezvous and running their command
        await("both ranks training").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                .ignoreExceptions().until(() -> lines(runId, 0).contains("rank 0 up in attempt 0")
                        && lines(runId, 1).contains("rank 1 up in attempt 0"));
        List<String> first = rankPods(runId);
        OneNode.kubectl("-n", NS, "delete", "pod", first.get(1), "--wait=false");

        reprise.awaitAllEnded(sweep, Duration.ofMinutes(10));
        JsonNode run = api.run(runId);
        System.out.println("rank-deleted: " + run);
        assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("failureCause").isNull()).as("a preemption is not a failure: %s", run).isTrue();
        assertThat(run.get("attempt").asInt()).as(run.toString()).isGreaterThanOrEqualTo(1);
        // every rank of attempt 0 was stopped (rank 0 would have slept 10 minutes) with its Job
        await("attempt 0's pods are gone").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> first.stream().allMatch(p -> admin.pods().inNamespace(NS).withName(p).get() == null));
        assertThat(admin.batch().v1().jobs().inNamespace(NS).withLabel("reprise.dev/run", Long.toString(runId))
                .withLabel("reprise.dev/attempt", "0").list().getItems()).isEmpty();
        // the last attempt started both ranks again, in new pods, and both finished
        List<String> last = rankPods(runId);
        assertThat(last).doesNotContainAnyElementsOf(first);
        JsonNode ranks = api.run(runId).get("ranks");
        assertThat(ranks).allSatisfy(r -> assertThat(r.get("exitCode").asInt()).as(ranks.toString()).isZero());
        String attempt = run.get("attempt").asText();
        assertThat(lines(runId, 0)).contains("rank 0 up in attempt " + attempt, "rank 0 done");
        assertThat(lines(runId, 1)).contains("rank 1 up in attempt " + attempt, "rank 1 done");
        System.out.println("rank-deleted: " + OneNode.kubectl("-n", NS, "get", "jobs,pods", "-l",
                "reprise.dev/run=" + runId, "-o", "wide"));
    }
}
