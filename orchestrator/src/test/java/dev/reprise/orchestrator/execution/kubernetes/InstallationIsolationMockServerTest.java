package dev.reprise.orchestrator.execution.kubernetes;

import static dev.reprise.orchestrator.execution.kubernetes.PodStatuses.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.execution.Executor;
import dev.reprise.orchestrator.execution.LaunchException;
import dev.reprise.orchestrator.execution.TrialLaunch;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two installations in one namespace, or a new database after an old one (run ids start again at 1): the Jobs of
 * the other are never adopted, followed, listed or deleted. This is what made the lifecycle test flaky: a leftover Job
 * with the same run id, attempt and sweep id was being deleted, the new installation took it for its own, and its run
 * was "preempted: the pod was deleted" attempt after attempt.
 */
@EnableKubernetesMockClient(crud = true)
class InstallationIsolationMockServerTest {

    static final String NS = "reprise-test";
    static final Duration WAIT = Duration.ofSeconds(15);
    static final String EARLIER = "aaaaaaaa";
    static final String OURS = "bbbbbbbb";

    KubernetesClient client;
    private KubernetesExecutor earlier;
    private KubernetesExecutor ours;
    private final RecordingObserver observedByEarlier = new RecordingObserver();
    private final RecordingObserver observed = new RecordingObserver();

    @BeforeAll
    static void quiet() {
        QuietLogs.apply();
    }

    @AfterEach
    void close() {
        for (KubernetesExecutor e : new KubernetesExecutor[] {earlier, ours}) {
            if (e != null) {
                e.close();
            }
        }
    }

    private KubernetesExecutor executor(String installation) {
        return new KubernetesExecutor(client, KubernetesExecutor.Settings.defaults(NS)
                .withBackoff(new Backoff(3, Duration.ofMillis(5), Duration.ofMillis(20))),
                new TrialJobFactory(TrialJobSettings.defaults(), installation), () -> Capabilities.MODERN,
                Clock.systemUTC());
    }

    private Job job(TrialLaunch l, String installation) {
        return client.batch().v1().jobs().inNamespace(NS).withName(KubernetesNames.jobName(l, installation)).get();
    }

    /** What the Job controller does: a pod from the Job's template. */
    private Pod createPod(Job job) {
        return client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata()
                .withName(job.getMetadata().getName() + "-" + UUID.randomUUID().toString().substring(0, 5))
                .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                .addToLabels("job-name", job.getMetadata().getName())
                .endMetadata()
                .withSpec(new io.fabric8.kubernetes.api.model.PodSpecBuilder(job.getSpec().getTemplate().getSpec())
                        .withNodeName("n1").build())
                .withStatus(PodStatuses.pending())
                .build()).create();
    }

    private void setPodStatus(Pod pod, PodStatus status) {
        client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).editStatus(p -> new PodBuilder(p)
                .withStatus(status).build());
    }

    private void complete(Job job) {
        client.batch().v1().jobs().inNamespace(NS).withName(job.getMetadata().getName()).editStatus(j ->
                new JobBuilder(j).editOrNewStatus().withActive(0).withSucceeded(1)
                        .withCompletionTime(Instant.now().toString())
                        .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True")
                                .withLastTransitionTime(Instant.now().toString()).build())
                        .endStatus().build());
    }

    @Test
    void aLeftoverJobWithTheSameRunIdFromAnotherInstallationIsNeitherAdoptedNorFollowedNorDeleted()
            throws LaunchException {
        // the earlier installation (or database) ran run 1 attempt 0 of sweep 1; its trial is still there
        earlier = executor(EARLIER);
        earlier.start(observedByEarlier);
        TrialLaunch run1 = TestLaunches.launch(1, "digits", 1, 0, 0);
        earlier.launch(run1);
        Job leftover = job(run1, EARLIER);
        Pod leftoverPod = createPod(leftover);
        setPodStatus(leftoverPod, PodStatuses.running(T0));
        earlier.close();
        earlier = null;

        // the new one, whose run 1 attempt 0 of sweep 1 is another trial altogether
        ours = executor(OURS);
        ours.start(observed);
        assertThat(ours.list()).as("the other installation's Jobs are not listed (reconciliation would adopt them)")
                .isEmpty();
        ours.launch(run1);

        Job mine = job(run1, OURS);
        assertThat(mine).as("a Job of its own, not the leftover").isNotNull();
        assertThat(mine.getMetadata().getUid()).isNotEqualTo(leftover.getMetadata().getUid());
        assertThat(mine.getMetadata().getLabels()).containsEntry(TrialLabels.INSTALLATION, OURS);
        assertThat(ours.list()).containsExactly(new Executor.TrialRef(1, 0, 1, false));

        // the leftover's pod is deleted (disrupted) and its Job goes: none of it is news to this installation
        setPodStatus(leftoverPod, PodStatuses.disrupted(T0, T0.plusSeconds(30)));
        client.pods().inNamespace(NS).withName(leftoverPod.getMetadata().getName()).delete();
        client.batch().v1().jobs().inNamespace(NS).withName(leftover.getMetadata().getName()).delete();
        // then this installation's own trial runs and succeeds: its observations come after the leftover's events
        // on the same watches, so once they are in, anything the leftover caused would be too
        Pod myPod = createPod(mine);
        setPodStatus(myPod, PodStatuses.succeeded(T0, T0.plusSeconds(5)));
        complete(mine);

        await().atMost(WAIT).untilAsserted(() -> assertThat(observed.kinds(new AttemptKey(1, 0)))
                .contains("Succeeded"));
        assertThat(observed.kinds(new AttemptKey(1, 0))).containsExactly("Launched", "Running", "Succeeded");
        assertThat(observed.last(new AttemptKey(1, 0), dev.reprise.orchestrator.execution.TrialObservation.Running.class)
                .at()).isEqualTo(T0);
    }

    @Test
    void stoppingASweepOrAnAttemptNeverDeletesAnotherInstallationsJobs() throws LaunchException {
        earlier = executor(EARLIER);
        ours = executor(OURS);
        TrialLaunch run1 = TestLaunches.launch(1, "digits", 1, 0, 0);
        TrialLaunch run2 = TestLaunches.launch(1, "digits", 2, 1, 0);
        assertThat(earlier.launchAll(List.of(run1, run2))).isEmpty();
        assertThat(ours.launchAll(List.of(run1, run2))).isEmpty();

        ours.stop(1, 0);
        ours.stopSweep(1);

        assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems())
                .extracting(j -> j.getMetadata().getName())
                .containsExactlyInAnyOrder(KubernetesNames.jobName(run1, EARLIER), KubernetesNames.jobName(run2, EARLIER));
        assertThat(client.configMaps().inNamespace(NS).list().getItems()).hasSize(2)
                .allSatisfy(c -> assertThat(c.getMetadata().getLabels()).containsEntry(TrialLabels.INSTALLATION,
                        EARLIER));
        assertThat(earlier.list()).hasSize(2);
    }

    @Test
    void aJobWithThisAttemptsNameButAnotherInstallationIsAFailureThatSaysWhoseItIsAndIsLeftAlone() {
        TrialLaunch run1 = TestLaunches.launch(1, "digits", 1, 0, 0);
        Job foreign = new TrialJobFactory(TrialJobSettings.defaults(), OURS).desiredJob(run1, Capabilities.MODERN);
        foreign.getMetadata().getLabels().put(TrialLabels.INSTALLATION, EARLIER);
        client.batch().v1().jobs().inNamespace(NS).resource(foreign).create();
        ours = executor(OURS);

        assertThatThrownBy(() -> ours.launch(run1)).isInstanceOfSatisfying(LaunchException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("already exists and belongs to installation " + EARLIER
                    + ", not to this one (" + OURS + "); it is left alone");
        });
        ours.stop(1, 0);
        assertThat(job(run1, OURS)).as("still there").isNotNull();
    }
}
