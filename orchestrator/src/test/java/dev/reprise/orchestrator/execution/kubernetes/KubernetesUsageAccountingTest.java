package dev.reprise.orchestrator.execution.kubernetes;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.scheduling.TestingExecutor;
import io.agroal.api.AgroalDataSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GPU-seconds of a sweep whose trials are preempted and retried on the Kubernetes executor, against a real API server
 * (1.20, with the real Job controller). The scheduler's launches go to a {@link KubernetesExecutor} that creates
 * real Jobs; the test writes pod statuses as a kubelet would (a trainer running since a given time, a node lost, a
 * pod deleted by preemption, a pod succeeded) and the executor's observations drive the run lifecycle. The usage
 * API's GPU-seconds must equal 2 GPUs × (end - start) of every attempt as run_attempts recorded them, with the
 * preempted and the failed attempt shown apart, and each attempt's start must be the trainer start the pod reported.
 */
@QuarkusTest
class KubernetesUsageAccountingTest {

    @Inject
    TestingExecutor scheduled;

    @Inject
    AgroalDataSource dataSource;

    private KubernetesClient admin;
    private String ns;
    private KubernetesExecutor kubernetes;

    @BeforeEach
    void realApiServer() {
        QuietLogs.apply();
        admin = RealApiServer.adminClient();
        ns = RealApiServer.freshNamespace(admin, "reprise-usage");
        kubernetes = new KubernetesExecutor(admin, KubernetesExecutor.Settings.defaults(ns)
                .withBackoff(new Backoff(4, Duration.ofMillis(50), Duration.ofSeconds(1))),
                new TrialJobFactory(TrialJobSettings.defaults().withAgentKafkaSecret("reprise-agent-kafka")), null, Clock.systemUTC());
        // the agents' Kafka credential comes from a Secret on Kubernetes (never inline in the Job); no agent runs here
        // what the real executor observes drives the orchestrator's lifecycle, as the scheduler's own executor would
        kubernetes.start(scheduled::report);
    }

    @AfterEach
    void cleanUp() {
        if (kubernetes != null) {
            kubernetes.close();
        }
        RealApiServer.deleteNamespace(admin, ns);
        admin.close();
    }

    /** The scheduler's launch of (index, attempt), passed on to the Kubernetes executor: a real Job. */
    private TrialLaunch launchOnKubernetes(int sweepId, int index, int attempt) throws Exception {
        TrialLaunch l = await().atMost(Duration.ofSeconds(90)).until(() -> scheduled.presentOf(sweepId).stream()
                .filter(x -> x.index() == index && x.attempt() == attempt).findFirst(), Optional::isPresent)
                .orElseThrow();
        kubernetes.launch(l);
        return l;
    }

    private Pod pod(TrialLaunch l) {
        return RealApiServer.awaitPod(admin, ns, new AttemptKey(l.runId(), l.attempt()));
    }

    @Test
    void gpuSecondsOfAPreemptedAndARetriedTrialAreNodesTimesGpusTimesTheObservedAttemptTimes() throws Exception {
        String project = "k8s-usage-" + UUID.randomUUID().toString().substring(0, 8);
        String yaml = "name: ku-" + UUID.randomUUID().toString().substring(0, 8) + "\nproject: " + project + "\n"
                + "image: " + PodStatuses.IMAGE + "\nprogram: train.py\nmethod: grid\nqueue: lifecycle\n"
                + "parallelism: 2\nresources:\n  cpu: \"2\"\n  gpu:\n    count: 2\n"
                + "parameters:\n  i:\n    values: [1, 2]\n";
        int sweepId = given().contentType("application/yaml").body(yaml.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/sweeps").then().statusCode(201).extract().path("id");
        Instant t0 = Instant.now().minusSeconds(300).truncatedTo(ChronoUnit.SECONDS);

        // A: its trainer runs from t0, then the pod is deleted by a preemption; the run is requeued and runs again
        TrialLaunch a0 = launchOnKubernetes(sweepId, 0, 0);
        TrialLaunch b0 = launchOnKubernetes(sweepId, 1, 0);
        Pod a0Pod = pod(a0);
        RealApiServer.setPodStatus(admin, ns, a0Pod, PodStatuses.running(t0));
        // B: its trainer runs from t0 + 10 s, then its node is lost (an infrastructure failure, retried)
        Pod b0Pod = pod(b0);
        RealApiServer.setPodStatus(admin, ns, b0Pod, PodStatuses.running(t0.plusSeconds(10)));
        awaitAttempt(a0.runId(), 0, "RUNNING");
        awaitAttempt(b0.runId(), 0, "RUNNING");
        admin.pods().inNamespace(ns).withName(a0Pod.getMetadata().getName()).delete();
        RealApiServer.setPodStatus(admin, ns, b0Pod, PodStatuses.nodeLost(t0.plusSeconds(10)));
        awaitAttempt(a0.runId(), 0, "PREEMPTED");
        awaitAttempt(b0.runId(), 0, "FAILED");

        TrialLaunch a1 = launchOnKubernetes(sweepId, 0, 1);
        TrialLaunch b1 = launchOnKubernetes(sweepId, 1, 1);
        Instant t1 = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
        RealApiServer.setPodStatus(admin, ns, pod(a1), PodStatuses.running(t1));
        RealApiServer.setPodStatus(admin, ns, pod(b1), PodStatuses.running(t1.plusSeconds(5)));
        awaitAttempt(a1.runId(), 1, "RUNNING");
        awaitAttempt(b1.runId(), 1, "RUNNING");
        RealApiServer.setPodStatus(admin, ns, pod(a1), PodStatuses.succeeded(t1, t1.plusSeconds(90)));
        RealApiServer.setPodStatus(admin, ns, pod(b1), PodStatuses.succeeded(t1.plusSeconds(5), t1.plusSeconds(65)));
        awaitAttempt(a1.runId(), 1, "SUCCEEDED");
        awaitAttempt(b1.runId(), 1, "SUCCEEDED");

        List<Attempt> attempts = attempts(sweepId);
        assertThat(attempts).extracting(Attempt::state)
                .containsExactlyInAnyOrder("PREEMPTED", "FAILED", "SUCCEEDED", "SUCCEEDED");
        // the starts are the trainer starts the pods reported, not when anything was created or observed
        assertThat(attempt(attempts, a0.runId(), 0).start()).isEqualTo(t0);
        assertThat(attempt(attempts, b0.runId(), 0).start()).isEqualTo(t0.plusSeconds(10));
        assertThat(attempt(attempts, a1.runId(), 1).start()).isEqualTo(t1);
        double all = attempts.stream().mapToDouble(Attempt::seconds).sum();
        double preempted = attempt(attempts, a0.runId(), 0).seconds();
        double failed = attempt(attempts, b0.runId(), 0).seconds();
        assertThat(preempted).isPositive();
        assertThat(failed).isPositive();

        JsonPath usage = given().queryParam("project", project).queryParam("groupBy", "run").get("/api/v1/usage")
                .then().statusCode(200).extract().jsonPath();

        assertThat(usage.getLong("total.attempts")).isEqualTo(4);
        assertThat(usage.getDouble("total.gpuSeconds")).isCloseTo(2 * all, within(0.1));
        assertThat(usage.getDouble("total.cpuSeconds")).isCloseTo(2 * all, within(0.1)); // 2 cores requested
        assertThat(usage.getLong("preempted.attempts")).isEqualTo(1);
        assertThat(usage.getDouble("preempted.gpuSeconds")).isCloseTo(2 * preempted, within(0.1));
        assertThat(usage.getLong("failed.attempts")).isEqualTo(1);
        assertThat(usage.getDouble("failed.gpuSeconds")).isCloseTo(2 * failed, within(0.1));
        // a succeeded attempt ends when the executor saw its Job complete (the Job controller's completion time),
        // which is no earlier than the trainer's own finish (t1 + 90 s, t1 + 65 s)
        assertThat(attempt(attempts, a1.runId(), 1).end()).isAfterOrEqualTo(t1.plusSeconds(90));
        assertThat(attempt(attempts, b1.runId(), 1).end()).isAfterOrEqualTo(t1.plusSeconds(65));
        assertThat(usage.getList("items.key")).containsExactlyInAnyOrder(String.valueOf(a0.runId()),
                String.valueOf(b0.runId()));
    }

    private record Attempt(long runId, int attempt, String state, Instant start, Instant end) {
        double seconds() {
            return Duration.between(start, end).toNanos() / 1e9;
        }
    }

    private static Attempt attempt(List<Attempt> all, long runId, int attempt) {
        return all.stream().filter(a -> a.runId() == runId && a.attempt() == attempt).findFirst().orElseThrow();
    }

    private void awaitAttempt(long runId, int attempt, String state) {
        await().atMost(RealApiServer.WAIT.multipliedBy(2)).until(() -> attempts(runId, attempt).contains(state));
    }

    private String attempts(long runId, int attempt) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select state from run_attempts where run_id = ? and attempt = ?")) {
            s.setLong(1, runId);
            s.setInt(2, attempt);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    private List<Attempt> attempts(int sweepId) throws Exception {
        List<Attempt> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select a.run_id, a.attempt, a.state, a.started_at, a.finished_at from run_attempts a "
                        + "join runs r on r.id = a.run_id where r.sweep_id = ? order by a.run_id, a.attempt")) {
            s.setLong(1, sweepId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Attempt(rs.getLong(1), rs.getInt(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant()));
                }
            }
        }
        return out;
    }
}
