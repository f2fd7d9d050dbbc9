package dev.reprise.orchestrator.execution.kubernetes;

import static dev.reprise.orchestrator.execution.kubernetes.PodStatuses.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.domain.run.FailureCause;
import dev.reprise.orchestrator.execution.kubernetes.TrialAssessor.Assessment;
import dev.reprise.orchestrator.execution.kubernetes.TrialAssessor.Outcome;
import dev.reprise.orchestrator.execution.kubernetes.TrialAssessor.PodView;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrialAssessorTest {

    private static final AttemptKey KEY = new AttemptKey(1001, 0);
    private static final Capabilities LEGACY = Capabilities.forVersion(1, 20);
    private static final Duration GRACE = Duration.ofMinutes(5);
    private static final Instant NOW = T0.plusSeconds(120);

    private static Job job(String conditionType, String reason, String message) {
        JobBuilder b = new JobBuilder().withNewMetadata().withName("lr-search-42-7-0").endMetadata();
        if (conditionType == null) {
            return b.withNewStatus().withActive(1).endStatus().build();
        }
        return b.withNewStatus().addNewCondition().withType(conditionType).withStatus("True").withReason(reason)
                .withMessage(message).withLastTransitionTime(T0.plusSeconds(100).toString()).endCondition()
                .withCompletionTime("Complete".equals(conditionType) ? T0.plusSeconds(99).toString() : null)
                .endStatus().build();
    }

    private static PodView live(String uid, io.fabric8.kubernetes.api.model.PodStatus status) {
        return new PodView(PodStatuses.onNode(PodStatuses.with(PodStatuses.pod(KEY, uid, T0), status), "gpu-node-1"),
                false);
    }

    @Test
    void aCompleteJobSucceedsAndReportsWhereAndWithWhichImageItRan() {
        Assessment a = TrialAssessor.assess(job("Complete", null, null),
                List.of(live("u1", PodStatuses.succeeded(T0.plusSeconds(5), T0.plusSeconds(99)))), Capabilities.MODERN,
                NOW, GRACE);
        assertThat(a.outcome()).contains(new Outcome.Succeeded(T0.plusSeconds(99), 0));
        assertThat(a.running()).get().satisfies(r -> {
            assertThat(r.nodeName()).isEqualTo("gpu-node-1");
            assertThat(r.imageDigest()).isEqualTo(PodStatuses.DIGEST);
            assertThat(r.startedAt()).isEqualTo(T0.plusSeconds(5));
        });
        assertThat(a.deleteJob()).isFalse();
    }

    @Test
    void aRunningPodOfAnActiveJobIsRunningAndNothingMore() {
        Assessment a = TrialAssessor.assess(job(null, null, null),
                List.of(live("u1", PodStatuses.running(T0.plusSeconds(5)))), Capabilities.MODERN, NOW, GRACE);
        assertThat(a.running()).get().extracting(TrialAssessor.RunningInfo::podUid).isEqualTo("u1");
        assertThat(a.outcome()).isEmpty();
    }

    @Test
    void aPendingPodIsNotRunning() {
        Assessment a = TrialAssessor.assess(job(null, null, null), List.of(live("u1", PodStatuses.pending())),
                Capabilities.MODERN, NOW, GRACE);
        assertThat(a).isEqualTo(new Assessment(java.util.Optional.empty(), java.util.Optional.empty(), false));
    }

    @Test
    void aFailedJobTakesItsCauseFromTheFailedPod() {
        Assessment a = TrialAssessor.assess(job("Failed", "BackoffLimitExceeded", "Job has reached the specified"
                + " backoff limit"), List.of(live("u1", PodStatuses.failed(3, T0.plusSeconds(5), T0.plusSeconds(90)))),
                LEGACY, NOW, GRACE);
        assertThat(a.outcome()).contains(new Outcome.Failed(T0.plusSeconds(100), FailureCause.USER_ERROR, 3,
                "exit code 3"));
    }

    @Test
    void aJobFailedByItsPodFailurePolicyIsAUserErrorEvenWithoutThePod() {
        Assessment a = TrialAssessor.assess(job("Failed", "PodFailurePolicy", "Container trainer for pod ns/p"
                + " failed with exit code 2 matching FailJob rule at index 1"), List.of(), Capabilities.MODERN, NOW,
                GRACE);
        assertThat(a.outcome()).get().isInstanceOfSatisfying(Outcome.Failed.class, f -> {
            assertThat(f.cause()).isEqualTo(FailureCause.USER_ERROR);
            assertThat(f.exitCode()).isEqualTo(2);
            assertThat(f.message()).contains("PodFailurePolicy");
        });
    }

    @Test
    void aJobThatFailedWithoutAnyPodToExplainItIsAnInfrastructureFailure() {
        Assessment a = TrialAssessor.assess(job("Failed", "BackoffLimitExceeded", "Job has reached the specified"
                + " backoff limit"), List.of(), Capabilities.MODERN, NOW, GRACE);
        assertThat(a.outcome()).get().isInstanceOfSatisfying(Outcome.Failed.class,
                f -> assertThat(f.cause()).isEqualTo(FailureCause.INFRASTRUCTURE));
    }

    /** A Job with a time limit of {@code seconds}, started at T0, with no verdict yet. */
    private static Job limited(long seconds, String conditionType, String reason) {
        Job j = job(conditionType, reason, reason == null ? null : "Job was active longer than specified deadline");
        j.setSpec(new io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder().withActiveDeadlineSeconds(seconds)
                .build());
        j.getStatus().setStartTime(T0.toString());
        return j;
    }

    @Test
    void aJobFailedForItsDeadlineIsATimeLimitFailureWhateverItsDeletedPodSays() {
        Pod p = PodStatuses.with(PodStatuses.pod(KEY, "u1", T0), PodStatuses.running(T0.plusSeconds(5)));
        for (Capabilities c : List.of(LEGACY, Capabilities.MODERN)) {
            Assessment a = TrialAssessor.assess(limited(60, "Failed", "DeadlineExceeded"),
                    List.of(new PodView(p, true)), c, NOW, GRACE);
            assertThat(a.outcome()).get().isInstanceOfSatisfying(Outcome.Failed.class, f -> {
                assertThat(f.cause()).isEqualTo(FailureCause.TIME_LIMIT);
                assertThat(f.message()).contains("time limit").contains("DeadlineExceeded");
            });
        }
    }

    @Test
    void aPodDeletedOnceTheJobsDeadlinePassedIsATimeLimitFailureNotAPreemption() {
        // the Job controller deletes the pods first and writes the Failed condition after: the pod event may come first
        Pod p = PodStatuses.with(PodStatuses.pod(KEY, "u1", T0), PodStatuses.running(T0.plusSeconds(5)));
        Assessment a = TrialAssessor.assess(limited(60, null, null), List.of(new PodView(p, true)), LEGACY,
                T0.plusSeconds(61), GRACE);
        assertThat(a.outcome()).get().isInstanceOfSatisfying(Outcome.Failed.class, f -> {
            assertThat(f.cause()).isEqualTo(FailureCause.TIME_LIMIT);
            assertThat(f.at()).isEqualTo(T0.plusSeconds(60));
            assertThat(f.message()).contains("60 s");
        });
        assertThat(a.deleteJob()).isTrue();
    }

    @Test
    void aJobWithinItsTimeLimitRunsOnAndADeletedPodIsStillAPreemption() {
        Pod p = PodStatuses.with(PodStatuses.pod(KEY, "u1", T0), PodStatuses.running(T0.plusSeconds(5)));
        Assessment running = TrialAssessor.assess(limited(600, null, null), List.of(live("u1",
                PodStatuses.running(T0.plusSeconds(5)))), LEGACY, NOW, GRACE);
        assertThat(running.outcome()).isEmpty();
        Assessment deleted = TrialAssessor.assess(limited(600, null, null), List.of(new PodView(p, true)), LEGACY, NOW,
                GRACE);
        assertThat(deleted.outcome()).get().isInstanceOf(Outcome.Preempted.class);
    }

    @Test
    void anEvictedPodFailingTheJobIsPreemption() {
        Assessment a = TrialAssessor.assess(job("Failed", "BackoffLimitExceeded", null),
                List.of(live("u1", PodStatuses.evicted(T0))), LEGACY, NOW, GRACE);
        assertThat(a.outcome()).get().isInstanceOf(Outcome.Preempted.class);
        assertThat(a.deleteJob()).isFalse();
    }

    @Test
    void withoutPodFailurePolicyADeletedPodOfAnActiveJobIsPreemptionAndTheJobMustGo() {
        Pod p = PodStatuses.with(PodStatuses.pod(KEY, "u1", T0), PodStatuses.running(T0.plusSeconds(5)));
        Assessment a = TrialAssessor.assess(job(null, null, null), List.of(new PodView(p, true)), LEGACY, NOW, GRACE);
        assertThat(a.outcome()).get().isInstanceOfSatisfying(Outcome.Preempted.class,
                o -> assertThat(o.message()).contains("deleted"));
        assertThat(a.deleteJob()).isTrue();
        assertThat(a.running()).isPresent();
    }

    @Test
    void withoutPodFailurePolicyAnEvictedPodIsPreemptionBeforeTheJobControllerSpeaks() {
        Assessment a = TrialAssessor.assess(job(null, null, null), List.of(live("u1", PodStatuses.evicted(T0))),
                LEGACY, NOW, GRACE);
        assertThat(a.outcome()).get().isInstanceOf(Outcome.Preempted.class);
        assertThat(a.deleteJob()).isTrue();
    }

    @Test
    void withPodFailurePolicyADisruptedPodIsLeftToTheJobControllerWhichReplacesIt() {
        Pod p = PodStatuses.with(PodStatuses.pod(KEY, "u1", T0), PodStatuses.disrupted(T0, T0.plusSeconds(50)));
        Assessment a = TrialAssessor.assess(job(null, null, null), List.of(new PodView(p, true)), Capabilities.MODERN,
                NOW, GRACE);
        assertThat(a.outcome()).isEmpty();
        assertThat(a.deleteJob()).isFalse();
    }

    @Test
    void theReplacementPodIsWhatRunsNow() {
        Pod old = PodStatuses.with(PodStatuses.pod(KEY, "u1", T0), PodStatuses.disrupted(T0, T0.plusSeconds(50)));
        Pod replacement = PodStatuses.onNode(PodStatuses.with(PodStatuses.pod(KEY, "u2", T0.plusSeconds(51)),
                PodStatuses.running(T0.plusSeconds(60))), "gpu-node-2");
        Assessment a = TrialAssessor.assess(job(null, null, null),
                List.of(new PodView(old, true), new PodView(replacement, false)), Capabilities.MODERN, NOW, GRACE);
        assertThat(a.running()).get().satisfies(r -> {
            assertThat(r.podUid()).isEqualTo("u2");
            assertThat(r.nodeName()).isEqualTo("gpu-node-2");
        });
    }

    @Test
    void aPodStuckOnItsImageFailsTheAttemptAndTheJobMustGo() {
        Assessment a = TrialAssessor.assess(job(null, null, null),
                List.of(live("u1", PodStatuses.waiting("trainer", "ErrImagePull", "manifest unknown", T0))),
                Capabilities.MODERN, T0.plusSeconds(301), GRACE);
        assertThat(a.outcome()).get().isInstanceOfSatisfying(Outcome.Failed.class,
                f -> assertThat(f.cause()).isEqualTo(FailureCause.IMAGE_PULL));
        assertThat(a.deleteJob()).isTrue();
    }

    @Test
    void freshPodsAreReadWhenTheJobsVerdictArrivesBeforeThePodsLastUpdate() {
        assertThat(TrialAssessor.needsFreshPods(job("Failed", "BackoffLimitExceeded", null),
                List.of(live("u1", PodStatuses.running(T0))))).isTrue();
        assertThat(TrialAssessor.needsFreshPods(job("Failed", "BackoffLimitExceeded", null),
                List.of(live("u1", PodStatuses.failed(1, T0, T0))))).isFalse();
        assertThat(TrialAssessor.needsFreshPods(job(null, null, null), List.of())).isFalse();
    }
}
