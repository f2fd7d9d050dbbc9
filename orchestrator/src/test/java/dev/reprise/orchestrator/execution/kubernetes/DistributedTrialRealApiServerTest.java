package dev.reprise.orchestrator.execution.kubernetes;

import static dev.reprise.orchestrator.execution.kubernetes.RealApiServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.domain.run.FailureCause;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A 2-node trial against a real 1.20 API server with the real Job controller (no kubelet: the test writes the pod
 * statuses a kubelet would, and assigns the ranks the rendezvous would). One fate: a failing rank fails the attempt
 * naming that rank and node, and the Job controller stops the other rank; a preempted rank ends the whole attempt and
 * its Job (the retry restarts every rank); stopping the attempt (cancel, early stop, start deadline) releases every
 * pod, Pending ones included.
 */
class DistributedTrialRealApiServerTest {

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
        ns = RealApiServer.freshNamespace(admin, "reprise-dist");
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

    private static AttemptKey key(TrialLaunch l) {
        return new AttemptKey(l.runId(), l.attempt());
    }

    /** Both ranks' pods, bound to node-0 and node-1 and running, with the ranks the rendezvous gave them. */
    private List<Pod> runningRanks(TrialLaunch l) {
        await().atMost(WAIT).until(() -> RealApiServer.podsOf(admin, ns, key(l)).size() == 2);
        List<Pod> pods = RealApiServer.podsOf(admin, ns, key(l)).stream()
                .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
        for (int rank = 0; rank < 2; rank++) {
            Pod p = pods.get(rank);
            RealApiServer.ensureNode(admin, "node-" + rank);
            RealApiServer.bind(admin, ns, p, "node-" + rank);
            RealApiServer.setPodStatus(admin, ns, p, PodStatuses.running(Instant.now().minusSeconds(30)));
            executor.rankAssigned(l.runId(), l.attempt(), p.getMetadata().getName(), rank);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(observed.kinds(key(l))).contains("Running"));
        return pods;
    }

    private boolean stoppedOrGone(Pod p) {
        Pod now = admin.pods().inNamespace(ns).withName(p.getMetadata().getName()).get();
        return now == null || now.getMetadata().getDeletionTimestamp() != null;
    }

    @Test
    void oneRankFailingFailsTheAttemptNamingThatRankAndItsNodeAndTheOtherRankIsStopped() throws Exception {
        TrialLaunch l = TestLaunches.launch().nodes(2).build();
        executor.launch(l);
        List<Pod> pods = runningRanks(l);

        Instant t0 = Instant.now().minusSeconds(30);
        RealApiServer.setPodStatus(admin, ns, pods.get(1), PodStatuses.failed(3, t0, t0.plusSeconds(20)));

        await().atMost(WAIT).untilAsserted(() -> assertThat(observed.kinds(key(l))).contains("Failed"));
        TrialObservation.Failed f = observed.last(key(l), TrialObservation.Failed.class);
        assertThat(f.cause()).isEqualTo(FailureCause.USER_ERROR);
        assertThat(f.exitCode()).isEqualTo(3);
        assertThat(f.message()).startsWith("rank 1 (pod " + pods.get(1).getMetadata().getName() + " on node node-1): ")
                .endsWith("the other ranks were stopped");
        // the Job controller stops rank 0 (backoffLimit 0: the Job failed)
        await().atMost(WAIT).until(() -> stoppedOrGone(pods.get(0)));
    }

    @Test
    void thePreemptionOfOneRankEndsTheWholeAttemptAndDeletesItsJobSoThatTheRetryRestartsEveryRank() throws Exception {
        TrialLaunch l = TestLaunches.launch().nodes(2).build();
        executor.launch(l);
        List<Pod> pods = runningRanks(l);

        // preemption on 1.20: the victim is deleted (the old Job controller would quietly start a replacement rank)
        admin.pods().inNamespace(ns).withName(pods.get(0).getMetadata().getName()).withGracePeriod(0).delete();

        await().atMost(WAIT).untilAsserted(() -> assertThat(observed.kinds(key(l))).contains("Preempted"));
        assertThat(observed.last(key(l), TrialObservation.Preempted.class).message())
                .startsWith("rank 0 (pod " + pods.get(0).getMetadata().getName() + " on node node-0): ")
                .endsWith("every rank is stopped and the attempt restarts whole");
        await().atMost(WAIT).until(() -> admin.batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty());
        await().atMost(WAIT).until(() -> stoppedOrGone(pods.get(1)));
        assertThat(observed.kinds(key(l))).doesNotContain("Failed");
    }

    @Test
    void stoppingAnAttemptWhoseSecondRankNeverStartedReleasesEveryPodPendingOnesIncluded() throws Exception {
        TrialLaunch l = TestLaunches.launch().nodes(2).build();
        executor.launch(l);
        await().atMost(WAIT).until(() -> RealApiServer.podsOf(admin, ns, key(l)).size() == 2);
        Pod up = RealApiServer.podsOf(admin, ns, key(l)).get(0);
        RealApiServer.setPodStatus(admin, ns, up, PodStatuses.running(Instant.now()));
        // the other rank stays Pending (a node selector nothing matches, an image it cannot get): the start
        // deadline then stops the attempt, as cancel and early stopping do

        executor.stop(l.runId(), l.attempt());

        await().atMost(WAIT).until(() -> admin.batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty());
        await().atMost(WAIT).until(() -> RealApiServer.podsOf(admin, ns, key(l)).isEmpty());
    }
}
