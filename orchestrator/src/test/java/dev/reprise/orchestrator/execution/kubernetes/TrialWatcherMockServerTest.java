package dev.reprise.orchestrator.execution.kubernetes;

import static dev.reprise.orchestrator.execution.kubernetes.PodStatuses.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.domain.run.FailureCause;
import dev.reprise.orchestrator.execution.LaunchException;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
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
 * Job and pod statuses, written the way the Job controller and kubelet would write them, drive observations through
 * every state. Fabric8's mock server (CRUD mode) has no controllers: the test plays their part.
 */
@EnableKubernetesMockClient(crud = true)
class TrialWatcherMockServerTest {

    static final String NS = "reprise-test";
    static final Duration WAIT = Duration.ofSeconds(15);

    KubernetesClient client;
    private KubernetesExecutor executor;
    private final RecordingObserver observed = new RecordingObserver();

    @BeforeAll
    static void quiet() {
        QuietLogs.apply();
    }

    @AfterEach
    void closeExecutor() {
        if (executor != null) {
            executor.close();
        }
    }

    private void start(Capabilities capabilities, Integer ttl) {
        executor = new KubernetesExecutor(client, KubernetesExecutor.Settings.defaults(NS)
                .withBackoff(new Backoff(3, Duration.ofMillis(5), Duration.ofMillis(20))),
                new TrialJobFactory(TrialJobSettings.defaults().withTtlSecondsAfterFinished(ttl)), () -> capabilities,
                Clock.systemUTC());
        executor.start(observed);
    }

    private static AttemptKey key(TrialLaunch l) {
        return new AttemptKey(l.runId(), l.attempt());
    }

    private Job job(TrialLaunch l) {
        return client.batch().v1().jobs().inNamespace(NS).withName(KubernetesNames.jobName(l, TrialJobFactory.UNSTORED_INSTALLATION)).get();
    }

    /** What the Job controller does: a pod from the Job's template, placed on a node by the scheduler. */
    private Pod createPod(TrialLaunch l, String node) {
        Job job = job(l);
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(job.getMetadata().getName() + "-" + UUID.randomUUID().toString().substring(0, 5))
                .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                .addToLabels("job-name", job.getMetadata().getName())
                .endMetadata()
                .withSpec(new io.fabric8.kubernetes.api.model.PodSpecBuilder(job.getSpec().getTemplate().getSpec())
                        .withNodeName(node).build())
                .withStatus(PodStatuses.pending())
                .build();
        return client.pods().inNamespace(NS).resource(pod).create();
    }

    private void setPodStatus(Pod pod, PodStatus status) {
        client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).editStatus(p -> new PodBuilder(p)
                .withStatus(status).build());
    }

    private void setJobCondition(TrialLaunch l, String type, String reason, String message) {
        JobCondition c = new JobConditionBuilder().withType(type).withStatus("True").withReason(reason)
                .withMessage(message).withLastTransitionTime(Instant.now().toString()).build();
        client.batch().v1().jobs().inNamespace(NS).withName(KubernetesNames.jobName(l, TrialJobFactory.UNSTORED_INSTALLATION)).editStatus(j ->
                new JobBuilder(j).editOrNewStatus().withActive(0).withConditions(c)
                        .withSucceeded("Complete".equals(type) ? 1 : 0).withFailed("Failed".equals(type) ? 1 : 0)
                        .withCompletionTime("Complete".equals(type) ? Instant.now().toString() : null)
                        .endStatus().build());
    }

    /**
     * Launches a sentinel trial and waits for its Launched: the Job watch delivers in order, so every Job event
     * before it has been handled by then (a check that nothing more happens, without a wall-clock window).
     */
    private void awaitLaterJobEventsHandled() throws LaunchException {
        TrialLaunch sentinel = TestLaunches.launch(999, "sentinel", 999_999, 0, 0);
        executor.launch(sentinel);
        awaitKinds(sentinel, "Launched");
    }

    private void awaitKinds(TrialLaunch l, String... kinds) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(observed.kinds(key(l))).containsExactly(kinds));
    }

    @Test
    void aTrialIsObservedLaunchedRunningAndSucceededWithNodeAndDigest() throws LaunchException, InterruptedException {
        start(Capabilities.MODERN, 3600);
        TrialLaunch l = TestLaunches.launch().build();
        executor.launch(l);
        awaitKinds(l, "Launched");

        Pod pod = createPod(l, "gpu-node-7");
        setPodStatus(pod, PodStatuses.pending());
        setPodStatus(pod, PodStatuses.running(T0));
        awaitKinds(l, "Launched", "Running");
        TrialObservation.Running running = observed.last(key(l), TrialObservation.Running.class);
        assertThat(running.nodeName()).isEqualTo("gpu-node-7");
        assertThat(running.imageDigest()).isEqualTo(PodStatuses.DIGEST);
        assertThat(running.at()).isEqualTo(T0);

        setPodStatus(pod, PodStatuses.succeeded(T0, T0.plusSeconds(60)));
        setJobCondition(l, "Complete", null, null);
        awaitKinds(l, "Launched", "Running", "Succeeded");
        assertThat(observed.last(key(l), TrialObservation.Succeeded.class).exitCode()).isZero();
    }

    @Test
    void aNonZeroExitIsAUserErrorWithItsExitCode() throws LaunchException, InterruptedException {
        start(Capabilities.MODERN, 3600);
        TrialLaunch l = TestLaunches.launch().build();
        executor.launch(l);
        Pod pod = createPod(l, "n1");
        setPodStatus(pod, PodStatuses.running(T0));
        awaitKinds(l, "Launched", "Running");

        setPodStatus(pod, PodStatuses.failed(3, T0, T0.plusSeconds(30)));
        setJobCondition(l, "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");

        awaitKinds(l, "Launched", "Running", "Failed");
        TrialObservation.Failed f = observed.last(key(l), TrialObservation.Failed.class);
        assertThat(f.cause()).isEqualTo(FailureCause.USER_ERROR);
        assertThat(f.exitCode()).isEqualTo(3);
    }

    @Test
    void anOomKilledTrainerIsObservedAsOomKilled() throws LaunchException, InterruptedException {
        start(Capabilities.MODERN, 3600);
        TrialLaunch l = TestLaunches.launch().build();
        executor.launch(l);
        Pod pod = createPod(l, "n1");
        setPodStatus(pod, PodStatuses.oomKilled(T0, T0.plusSeconds(30)));
        setJobCondition(l, "Failed", "BackoffLimitExceeded", null);

        awaitKinds(l, "Launched", "Running", "Failed");
        assertThat(observed.last(key(l), TrialObservation.Failed.class).cause()).isEqualTo(FailureCause.OOM_KILLED);
    }

    @Test
    void anImageThatCannotBePulledFailsTheTrialAndRemovesItsJob() throws LaunchException, InterruptedException {
        start(Capabilities.MODERN, 3600);
        TrialLaunch l = TestLaunches.launch().image("registry.example.com/Team/Train").build();
        executor.launch(l);
        Pod pod = createPod(l, "n1");
        setPodStatus(pod, PodStatuses.waiting("trainer", "InvalidImageName", "couldn't parse image reference",
                Instant.now()));

        awaitKinds(l, "Launched", "Failed");
        assertThat(observed.last(key(l), TrialObservation.Failed.class).cause()).isEqualTo(FailureCause.IMAGE_PULL);
        await().atMost(WAIT).until(() -> job(l) == null);
        // nothing more arrives afterwards (gone on purpose: not Vanished)
        awaitLaterJobEventsHandled();
        assertThat(observed.kinds(key(l))).containsExactly("Launched", "Failed");
    }

    @Test
    void withoutPodFailurePolicyAPreemptedPodIsObservedAsPreemptedAndItsJobRemoved() throws LaunchException, InterruptedException {
        start(Capabilities.forVersion(1, 20), 3600);
        TrialLaunch l = TestLaunches.launch().build();
        executor.launch(l);
        Pod pod = createPod(l, "n1");
        setPodStatus(pod, PodStatuses.running(T0));
        awaitKinds(l, "Launched", "Running");

        // the scheduler preempts the pod: before 1.26 it is simply deleted, and the Job controller would replace it
        client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).delete();

        awaitKinds(l, "Launched", "Running", "Preempted");
        await().atMost(WAIT).until(() -> job(l) == null);
        // nothing more arrives afterwards
        awaitLaterJobEventsHandled();
        assertThat(observed.kinds(key(l))).containsExactly("Launched", "Running", "Preempted");
    }

    @Test
    void withoutPodFailurePolicyAnEvictedPodIsObservedAsPreempted() throws LaunchException, InterruptedException {
        start(Capabilities.forVersion(1, 20), 3600);
        TrialLaunch l = TestLaunches.launch().build();
        executor.launch(l);
        Pod pod = createPod(l, "n1");
        setPodStatus(pod, PodStatuses.evicted(T0));

        awaitKinds(l, "Launched", "Preempted");
        assertThat(observed.last(key(l), TrialObservation.Preempted.class).message()).contains("Evicted");
    }

    @Test
    void withPodFailurePolicyAPreemptedPodIsReplacedInPlaceAndTheTrialGoesOn() throws LaunchException, InterruptedException {
        start(Capabilities.MODERN, 3600);
        TrialLaunch l = TestLaunches.launch().build();
        executor.launch(l);
        Pod first = createPod(l, "n1");
        setPodStatus(first, PodStatuses.running(T0));
        awaitKinds(l, "Launched", "Running");

        setPodStatus(first, PodStatuses.disrupted(T0, T0.plusSeconds(40)));
        client.pods().inNamespace(NS).withName(first.getMetadata().getName()).delete();
        Pod second = createPod(l, "n2"); // the Job controller ignores the disrupted pod and starts another
        setPodStatus(second, PodStatuses.running(T0.plusSeconds(50)));

        awaitKinds(l, "Launched", "Running", "Running");
        assertThat(observed.last(key(l), TrialObservation.Running.class).nodeName()).isEqualTo("n2");
        setPodStatus(second, PodStatuses.succeeded(T0.plusSeconds(50), T0.plusSeconds(90)));
        setJobCondition(l, "Complete", null, null);
        awaitKinds(l, "Launched", "Running", "Running", "Succeeded");
    }

    @Test
    void aJobFailedWithADisruptedPodIsObservedAsPreempted() throws LaunchException, InterruptedException {
        start(Capabilities.MODERN, 3600);
        TrialLaunch l = TestLaunches.launch().build();
        executor.launch(l);
        Pod pod = createPod(l, "n1");
        setPodStatus(pod, PodStatuses.disrupted(T0, T0.plusSeconds(40)));
        setJobCondition(l, "Failed", "BackoffLimitExceeded", null);

        awaitKinds(l, "Launched", "Running", "Preempted");
        assertThat(observed.last(key(l), TrialObservation.Preempted.class).message())
                .contains("PreemptionByScheduler");
    }

    @Test
    void aJobDeletedBySomeoneElseIsObservedAsVanished() throws LaunchException, InterruptedException {
        start(Capabilities.MODERN, 3600);
        TrialLaunch l = TestLaunches.launch().build();
        executor.launch(l);
        awaitKinds(l, "Launched");

        client.batch().v1().jobs().inNamespace(NS).withName(KubernetesNames.jobName(l, TrialJobFactory.UNSTORED_INSTALLATION)).delete();

        awaitKinds(l, "Launched", "Vanished");
    }

    @Test
    void stoppedTrialsAreNotReportedAsVanished() throws LaunchException, InterruptedException {
        start(Capabilities.MODERN, 3600);
        TrialLaunch a = TestLaunches.launch(42, "s", 1, 0, 0);
        TrialLaunch b = TestLaunches.launch(42, "s", 2, 1, 0);
        TrialLaunch other = TestLaunches.launch(43, "s", 3, 0, 0);
        assertThat(executor.launchAll(List.of(a, b, other))).isEmpty();
        awaitKinds(a, "Launched");
        awaitKinds(b, "Launched");
        awaitKinds(other, "Launched");

        executor.stop(1, 0);
        executor.stopSweep(42);
        client.batch().v1().jobs().inNamespace(NS).withName(KubernetesNames.jobName(other, TrialJobFactory.UNSTORED_INSTALLATION)).delete();

        awaitKinds(other, "Launched", "Vanished");
        // the Job watch delivers in order: the stopped Jobs' deletions came before other's, so they are handled
        assertThat(observed.kinds(key(a))).containsExactly("Launched");
        assertThat(observed.kinds(key(b))).containsExactly("Launched");
    }

    @Test
    void afterARestartTheWatcherReportsWhatItFindsAgainWhichTheLifecycleIgnores() throws LaunchException, InterruptedException {
        start(Capabilities.MODERN, 3600);
        TrialLaunch l = TestLaunches.launch().build();
        executor.launch(l);
        Pod pod = createPod(l, "n1");
        setPodStatus(pod, PodStatuses.succeeded(T0, T0.plusSeconds(5)));
        setJobCondition(l, "Complete", null, null);
        awaitKinds(l, "Launched", "Running", "Succeeded");
        executor.close();

        RecordingObserver second = new RecordingObserver();
        executor = new KubernetesExecutor(client, KubernetesExecutor.Settings.defaults(NS),
                new TrialJobFactory(TrialJobSettings.defaults()), () -> Capabilities.MODERN, Clock.systemUTC());
        executor.start(second);
        await().atMost(WAIT).untilAsserted(() -> assertThat(second.kinds(key(l)))
                .containsExactly("Launched", "Running", "Succeeded"));
    }

    @Test
    void withoutServerSideTtlFinishedJobsAreDeletedByTheWatcherAfterTheTtl() throws LaunchException, InterruptedException {
        start(Capabilities.forVersion(1, 20), 1);
        TrialLaunch l = TestLaunches.launch().build();
        executor.launch(l);
        assertThat(job(l).getSpec().getTtlSecondsAfterFinished()).isNull();
        Pod pod = createPod(l, "n1");
        setPodStatus(pod, PodStatuses.succeeded(T0, T0.plusSeconds(5)));
        setJobCondition(l, "Complete", null, null);
        awaitKinds(l, "Launched", "Running", "Succeeded");

        await().atMost(WAIT).until(() -> job(l) == null);
        assertThat(observed.kinds(key(l))).containsExactly("Launched", "Running", "Succeeded");
    }
}
