package dev.reprise.orchestrator.execution.kubernetes;

import static dev.reprise.orchestrator.execution.kubernetes.RealApiServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.domain.run.FailureCause;
import dev.reprise.orchestrator.execution.Executor;
import dev.reprise.orchestrator.execution.LaunchException;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes executor against a real API server (1.20) with the real Job controller, garbage collector and
 * TTL controller (kube-controller-manager). There is no kubelet: the test writes pod statuses as a kubelet would,
 * and Reprise must follow the verdicts the Job controller draws from them.
 */
class KubernetesExecutorRealApiServerTest {

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
        ns = RealApiServer.freshNamespace(admin, "reprise-it");
        executor = executor(TrialJobSettings.defaults());
        executor.start(observed);
    }

    @AfterEach
    void cleanUp() {
        if (executor != null) {
            executor.close();
        }
        RealApiServer.deleteNamespace(admin, ns);
    }

    private KubernetesExecutor executor(TrialJobSettings settings) {
        return new KubernetesExecutor(admin, KubernetesExecutor.Settings.defaults(ns)
                .withBackoff(new Backoff(4, Duration.ofMillis(50), Duration.ofSeconds(1))),
                new TrialJobFactory(settings), null, Clock.systemUTC()); // null: discover from the server
    }

    private Job job(TrialLaunch l) {
        return admin.batch().v1().jobs().inNamespace(ns).withName(KubernetesNames.jobName(l, TrialJobFactory.UNSTORED_INSTALLATION)).get();
    }

    private static AttemptKey key(TrialLaunch l) {
        return new AttemptKey(l.runId(), l.attempt());
    }

    private void awaitKinds(TrialLaunch l, String... kinds) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(observed.kinds(key(l))).containsExactly(kinds));
    }

    private String jobVerdict(TrialLaunch l) {
        Job j = job(l);
        if (j == null || j.getStatus() == null || j.getStatus().getConditions() == null) {
            return null;
        }
        return j.getStatus().getConditions().stream().filter(c -> "True".equals(c.getStatus()))
                .map(JobCondition::getType).findFirst().orElse(null);
    }

    @Test
    void discoversThatThisServerDropsPodFailurePolicyButKeepsTheTtlField() {
        Capabilities c = executor.capabilities();
        assertThat(c.version()).isEqualTo("1.20");
        assertThat(c.podFailurePolicy()).isFalse();
        assertThat(c.ttlSecondsAfterFinished()).isTrue(); // TTLAfterFinished feature gate on (kube-apiserver.sh)
        assertThat(c.disruptionTargetCondition()).isFalse();
        assertThat(admin.batch().v1().jobs().inNamespace(ns).list().getItems()).isEmpty(); // the probe was a dry run
    }

    @Test
    void anOldServerSilentlyDropsWhatItDoesNotKnowWhichIsWhyCapabilitiesAreDiscovered() {
        TrialLaunch l = TestLaunches.launch().build();
        Job modern = new TrialJobFactory(TrialJobSettings.defaults()).desiredJob(l, Capabilities.MODERN);
        Job stored = admin.batch().v1().jobs().inNamespace(ns).resource(modern).create();
        assertThat(modern.getSpec().getPodFailurePolicy()).isNotNull();
        assertThat(stored.getSpec().getPodFailurePolicy()).isNull(); // no error, just gone
        assertThat(stored.getSpec().getTtlSecondsAfterFinished()).isEqualTo(86_400);
    }

    @Test
    void reprisFollowsTheJobControllersVerdicts() throws Exception {
        TrialLaunch ok = TestLaunches.launch(42, "verdicts", 1, 0, 0);
        TrialLaunch userError = TestLaunches.launch(42, "verdicts", 2, 1, 0);
        TrialLaunch oom = TestLaunches.launch(42, "verdicts", 3, 2, 0);
        TrialLaunch evicted = TestLaunches.launch(42, "verdicts", 4, 3, 0);
        assertThat(executor.launchAll(List.of(ok, userError, oom, evicted))).isEmpty();
        for (TrialLaunch l : List.of(ok, userError, oom, evicted)) {
            awaitKinds(l, "Launched");
        }
        Instant t0 = Instant.now().minusSeconds(60);

        Pod okPod = RealApiServer.awaitPod(admin, ns, key(ok));
        RealApiServer.ensureNode(admin, "gpu-node-1");
        RealApiServer.bind(admin, ns, okPod, "gpu-node-1");
        RealApiServer.setPodStatus(admin, ns, okPod, PodStatuses.running(t0));
        awaitKinds(ok, "Launched", "Running");
        TrialObservation.Running running = observed.last(key(ok), TrialObservation.Running.class);
        assertThat(running.nodeName()).isEqualTo("gpu-node-1");
        assertThat(running.imageDigest()).isEqualTo(PodStatuses.DIGEST);
        RealApiServer.setPodStatus(admin, ns, okPod, PodStatuses.succeeded(t0, t0.plusSeconds(30)));

        RealApiServer.setPodStatus(admin, ns, RealApiServer.awaitPod(admin, ns, key(userError)),
                PodStatuses.failed(3, t0, t0.plusSeconds(20)));
        RealApiServer.setPodStatus(admin, ns, RealApiServer.awaitPod(admin, ns, key(oom)),
                PodStatuses.oomKilled(t0, t0.plusSeconds(20)));
        RealApiServer.setPodStatus(admin, ns, RealApiServer.awaitPod(admin, ns, key(evicted)),
                PodStatuses.evicted(t0));

        // the Job controller's verdicts ...
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(jobVerdict(ok)).isEqualTo("Complete");
            assertThat(jobVerdict(userError)).isEqualTo("Failed");
            assertThat(jobVerdict(oom)).isEqualTo("Failed");
        });
        // ... and what Reprise made of them
        awaitKinds(ok, "Launched", "Running", "Succeeded");
        awaitKinds(userError, "Launched", "Running", "Failed");
        awaitKinds(oom, "Launched", "Running", "Failed");
        awaitKinds(evicted, "Launched", "Preempted");
        assertThat(observed.last(key(ok), TrialObservation.Succeeded.class).exitCode()).isZero();
        TrialObservation.Failed f = observed.last(key(userError), TrialObservation.Failed.class);
        assertThat(f.cause()).isEqualTo(FailureCause.USER_ERROR);
        assertThat(f.exitCode()).isEqualTo(3);
        assertThat(observed.last(key(oom), TrialObservation.Failed.class).cause()).isEqualTo(FailureCause.OOM_KILLED);
        assertThat(observed.last(key(evicted), TrialObservation.Preempted.class).message()).contains("Evicted");
    }

    @Test
    void withoutPodFailurePolicyAPreemptedPodEndsItsAttemptBeforeTheJobControllerReplacesIt() throws Exception {
        TrialLaunch l = TestLaunches.launch().build();
        executor.launch(l);
        Pod pod = RealApiServer.awaitPod(admin, ns, key(l));
        RealApiServer.setPodStatus(admin, ns, pod, PodStatuses.running(Instant.now()));
        awaitKinds(l, "Launched", "Running");

        // preemption on 1.20: the victim is deleted; the old Job controller would quietly start another pod
        admin.pods().inNamespace(ns).withName(pod.getMetadata().getName()).delete();

        awaitKinds(l, "Launched", "Running", "Preempted");
        await().atMost(WAIT).until(() -> job(l) == null);
        await().atMost(WAIT).until(() -> RealApiServer.podsOf(admin, ns, key(l)).isEmpty());
        assertThat(observed.kinds(key(l))).containsExactly("Launched", "Running", "Preempted");
    }

    @Test
    void aPodStuckOnAnInvalidImageFailsTheTrialAndItsJobIsRemoved() throws Exception {
        TrialLaunch l = TestLaunches.launch().build();
        executor.launch(l);
        RealApiServer.setPodStatus(admin, ns, RealApiServer.awaitPod(admin, ns, key(l)),
                PodStatuses.waiting("trainer", "InvalidImageName", "Failed to apply default image tag", Instant.now()));

        awaitKinds(l, "Launched", "Failed");
        assertThat(observed.last(key(l), TrialObservation.Failed.class).cause()).isEqualTo(FailureCause.IMAGE_PULL);
        await().atMost(WAIT).until(() -> job(l) == null);
    }

    @Test
    void kubectlListsTheTrialsOfASweepWithTheirLabels() throws Exception {
        List<TrialLaunch> mine = IntStream.range(0, 3).mapToObj(i -> TestLaunches.launch(7, "kubectl-demo", 70 + i, i,
                0)).toList();
        TrialLaunch other = TestLaunches.launch(8, "something-else", 80, 0, 0);
        assertThat(executor.launchAll(List.of(mine.get(0), mine.get(1), mine.get(2), other))).isEmpty();

        String out = RealApiServer.kubectl("-n", ns, "get", "jobs", "-l", "reprise.dev/sweep=kubectl-demo",
                "--show-labels");

        assertThat(out).contains("kubectl-demo-7-0-0-00000000", "kubectl-demo-7-1-0-00000000", "kubectl-demo-7-2-0-00000000")
                .doesNotContain("something-else")
                .contains("reprise.dev/sweep=kubectl-demo", "reprise.dev/run=70", "reprise.dev/attempt=0",
                        "reprise.dev/project=vision", "app.kubernetes.io/managed-by=reprise");
        String columns = RealApiServer.kubectl("-n", ns, "get", "jobs", "-l", "reprise.dev/sweep=kubectl-demo",
                "-L", "reprise.dev/run,reprise.dev/attempt", "--no-headers");
        assertThat(columns.lines()).hasSize(3);
        await().atMost(WAIT).untilAsserted(() -> assertThat(RealApiServer.kubectl("-n", ns, "get", "pods", "-l",
                "reprise.dev/sweep=kubectl-demo", "--no-headers").lines()).hasSize(3));
    }

    @Test
    void launchingTwiceCreatesEachTrialOnceWithAConfigMapOwnedByItsJob() {
        List<TrialLaunch> launches = IntStream.range(0, 10).mapToObj(i -> TestLaunches.launch(9, "twice", 90 + i, i,
                0)).toList();
        assertThat(executor.launchAll(launches)).isEmpty();
        assertThat(executor.launchAll(launches)).isEmpty();

        List<Job> jobs = admin.batch().v1().jobs().inNamespace(ns).list().getItems();
        List<ConfigMap> maps = admin.configMaps().inNamespace(ns).withLabel(TrialLabels.MANAGED_BY, "reprise").list()
                .getItems();
        assertThat(jobs).hasSize(10);
        assertThat(maps).hasSize(10).allSatisfy(cm -> {
            Job owner = jobs.stream().filter(j -> j.getMetadata().getName().equals(cm.getMetadata().getName()))
                    .findFirst().orElseThrow();
            assertThat(cm.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(o -> assertThat(o.getUid()).isEqualTo(owner.getMetadata().getUid()));
        });
        assertThat(executor.list()).hasSize(10).allSatisfy(r -> assertThat(r.sweepId()).isEqualTo(9));
    }

    @Test
    void stopSweepDeletesItsJobsAndTheGarbageCollectorRemovesPodsAndConfigMaps() throws Exception {
        List<TrialLaunch> launches = IntStream.range(0, 3).mapToObj(i -> TestLaunches.launch(11, "stopme", 110 + i,
                i, 0)).toList();
        TrialLaunch keep = TestLaunches.launch(12, "keep", 120, 0, 0);
        assertThat(executor.launchAll(List.of(launches.get(0), launches.get(1), launches.get(2), keep))).isEmpty();
        for (TrialLaunch l : launches) {
            RealApiServer.awaitPod(admin, ns, key(l));
            awaitKinds(l, "Launched");
        }

        executor.stopSweep(11);

        assertThat(admin.batch().v1().jobs().inNamespace(ns).withLabel(TrialLabels.SWEEP_ID, "11").list().getItems())
                .isEmpty();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(admin.pods().inNamespace(ns).withLabel(TrialLabels.SWEEP_ID, "11").list().getItems()).isEmpty();
            assertThat(admin.configMaps().inNamespace(ns).withLabel(TrialLabels.SWEEP_ID, "11").list().getItems())
                    .isEmpty();
        });
        assertThat(job(keep)).isNotNull();
        // stopped, not Vanished: nothing but Launched arrives for any of them
        await().during(java.time.Duration.ofMillis(500)).atMost(java.time.Duration.ofSeconds(5))
                .until(() -> launches.stream().allMatch(l -> observed.kinds(key(l)).equals(java.util.List.of("Launched"))));
    }

    @Test
    void theTtlControllerRemovesFinishedJobsWhichIsNotAVanishing() throws Exception {
        executor.close();
        executor = executor(TrialJobSettings.defaults().withTtlSecondsAfterFinished(1));
        executor.start(observed);
        TrialLaunch l = TestLaunches.launch().build();
        executor.launch(l);
        RealApiServer.setPodStatus(admin, ns, RealApiServer.awaitPod(admin, ns, key(l)),
                PodStatuses.succeeded(Instant.now().minusSeconds(5), Instant.now()));

        awaitKinds(l, "Launched", "Running", "Succeeded");
        await().atMost(WAIT).until(() -> job(l) == null);
        // nothing more arrives afterwards
        await().during(java.time.Duration.ofMillis(500)).atMost(java.time.Duration.ofSeconds(5))
                .until(() -> observed.kinds(key(l)).equals(java.util.List.of("Launched", "Running", "Succeeded")));
    }

    @Test
    void anInvalidJobIsRefusedWithTheServersMessageAndLeavesNothingBehind() {
        TrialLaunch bad = TestLaunches.launch().placement(new TrialLaunch.Placement(Map.of(),
                List.of(new TrialLaunch.Toleration("k", "Equal", "v", "Sometimes")), null, null, null)).build();

        assertThatThrownBy(() -> executor.launch(bad)).isInstanceOfSatisfying(LaunchException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("422").contains("Unsupported value: \"Sometimes\"");
        });
        assertThat(admin.batch().v1().jobs().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(admin.configMaps().inNamespace(ns).withLabel(TrialLabels.MANAGED_BY, "reprise").list().getItems())
                .isEmpty();
    }

    @Test
    void aJobDeletedWithKubectlIsObservedAsVanished() throws Exception {
        TrialLaunch l = TestLaunches.launch().build();
        executor.launch(l);
        awaitKinds(l, "Launched");

        RealApiServer.kubectl("-n", ns, "delete", "job", KubernetesNames.jobName(l, TrialJobFactory.UNSTORED_INSTALLATION));

        awaitKinds(l, "Launched", "Vanished");
        List<Executor.TrialRef> refs = executor.list();
        assertThat(refs).isEmpty();
    }
}
