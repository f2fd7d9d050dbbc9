package dev.reprise.orchestrator.execution.kubernetes;

import static dev.reprise.orchestrator.execution.kubernetes.RealApiServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.execution.TrialLaunch;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The start deadline of a distributed attempt does not count the time its Job waits suspended (as Kueue keeps it
 * while its workload queues), against the real 1.20 API server. What this server can show: it has no
 * {@code spec.suspend} at all (added in 1.21 behind the alpha SuspendJob gate, which 1.20's binaries refuse as an
 * unrecognized gate; the server drops the field silently), so the executor reads the suspension where a 1.21+ Job
 * controller records it, the Job's {@code Suspended} condition, which this server stores as any condition; the test
 * writes it, as it writes pod statuses for the kubelet it lacks. The {@code spec.suspend} side is covered by
 * {@code JobAdmissionTest}.
 */
class StartDeadlineSuspensionRealApiServerTest {

    private static KubernetesClient admin;
    private String ns;
    private KubernetesExecutor executor;
    private final RecordingObserver observed = new RecordingObserver();

    @BeforeAll
    static void connect() {
        QuietLogs.apply();
        admin = RealApiServer.adminClient();
    }

    @AfterAll
    static void disconnect() {
        if (admin != null) {
            admin.close();
        }
    }

    @BeforeEach
    void namespaceAndExecutor() {
        ns = RealApiServer.freshNamespace(admin, "reprise-suspend");
        executor = new KubernetesExecutor(admin, KubernetesExecutor.Settings.defaults(ns)
                .withBackoff(new Backoff(4, Duration.ofMillis(50), Duration.ofSeconds(1))),
                new TrialJobFactory(TrialJobSettings.defaults()), null, Clock.systemUTC());
        executor.start(observed);
    }

    @AfterEach
    void cleanUp() {
        if (executor != null) {
            executor.close();
        }
        RealApiServer.deleteNamespace(admin, ns);
    }

    @Test
    void thisServerHasNoSpecSuspendItDropsTheFieldSilently() {
        assertThat(executor.capabilities().jobSuspend()).as("server %s", executor.capabilities().version()).isFalse();
        Job created = admin.batch().v1().jobs().inNamespace(ns).resource(new JobBuilder().withNewMetadata()
                .withName("asked-to-wait").endMetadata().withNewSpec().withSuspend(true).withNewTemplate().withNewSpec()
                .withRestartPolicy("Never").addNewContainer().withName("c").withImage("none.example/x:1").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        assertThat(created.getSpec().getSuspend()).as("spec.suspend as stored").isNull();
    }

    @Test
    void aJobReportedSuspendedHoldsTheStartDeadlineAndItsResumptionStartsIt() throws Exception {
        TrialLaunch l = TestLaunches.launch().nodes(2).build();
        Instant launchedAt = Instant.now().minus(1, ChronoUnit.HOURS);
        executor.launch(l);
        await().atMost(WAIT).until(() -> executor.startDeadlineClock(l.runId(), l.attempt(), launchedAt)
                .equals(Optional.of(launchedAt)));

        // queued: the Job is suspended, as a 1.21+ Job controller reports it while Kueue holds the workload
        Instant suspendedAt = Instant.now().minusSeconds(50).truncatedTo(ChronoUnit.SECONDS);
        setSuspendedCondition(l, "True", "JobSuspended", suspendedAt);
        await().atMost(WAIT).until(() -> executor.startDeadlineClock(l.runId(), l.attempt(), launchedAt).isEmpty());

        // admitted: resumed now; the deadline counts from here, not from the launch an hour ago
        Instant resumedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        setSuspendedCondition(l, "False", "JobResumed", resumedAt);
        await().atMost(WAIT).until(() -> executor.startDeadlineClock(l.runId(), l.attempt(), launchedAt)
                .equals(Optional.of(resumedAt)));
    }

    @Test
    void anAttemptWhoseJobIsGoneOrUnknownCountsFromItsLaunch() {
        Instant launchedAt = Instant.now().minusSeconds(30);
        assertThat(executor.startDeadlineClock(999_999, 0, launchedAt)).contains(launchedAt);
    }

    /** What a 1.21+ Job controller writes: the Job's Suspended condition, through the status subresource. */
    private void setSuspendedCondition(TrialLaunch l, String status, String reason, Instant at) {
        AttemptKey key = new AttemptKey(l.runId(), l.attempt());
        Job job = admin.batch().v1().jobs().inNamespace(ns).withLabel(TrialLabels.RUN, Long.toString(key.runId()))
                .list().getItems().get(0);
        JobCondition c = new JobConditionBuilder().withType(JobAdmission.SUSPENDED).withStatus(status)
                .withReason(reason).withLastTransitionTime(at.toString()).withLastProbeTime(at.toString()).build();
        admin.batch().v1().jobs().inNamespace(ns).withName(job.getMetadata().getName()).editStatus(j -> {
            if (j.getStatus() == null) {
                j.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatus());
            }
            List<JobCondition> conditions = new ArrayList<>();
            if (j.getStatus().getConditions() != null) {
                j.getStatus().getConditions().stream().filter(x -> !JobAdmission.SUSPENDED.equals(x.getType()))
                        .forEach(conditions::add);
            }
            conditions.add(c);
            j.getStatus().setConditions(conditions);
            return j;
        });
        Job stored = admin.batch().v1().jobs().inNamespace(ns).withName(job.getMetadata().getName()).get();
        assertThat(stored.getStatus().getConditions()).as("the server stored the condition")
                .anyMatch(x -> JobAdmission.SUSPENDED.equals(x.getType()) && status.equals(x.getStatus()));
    }
}
