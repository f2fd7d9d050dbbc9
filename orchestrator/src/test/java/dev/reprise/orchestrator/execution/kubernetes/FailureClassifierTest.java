package dev.reprise.orchestrator.execution.kubernetes;

import static dev.reprise.orchestrator.execution.kubernetes.PodStatuses.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.domain.run.FailureCause;
import dev.reprise.orchestrator.execution.kubernetes.FailureClassifier.PodOutcome;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    private static final AttemptKey KEY = new AttemptKey(1001, 0);

    private static Pod pod(PodStatus status) {
        return PodStatuses.with(PodStatuses.pod(KEY, "u1", T0), status);
    }

    @Test
    void aNonZeroExitCodeIsTheUsersError() {
        PodOutcome o = FailureClassifier.classify(pod(PodStatuses.failed(3, T0, T0.plusSeconds(60))), false);
        assertThat(o).isEqualTo(new PodOutcome.Failed(FailureCause.USER_ERROR, 3, "exit code 3"));
    }

    @Test
    void oomKilledIsItsOwnCause() {
        PodOutcome o = FailureClassifier.classify(pod(PodStatuses.oomKilled(T0, T0.plusSeconds(60))), false);
        assertThat(o).isInstanceOfSatisfying(PodOutcome.Failed.class, f -> {
            assertThat(f.cause()).isEqualTo(FailureCause.OOM_KILLED);
            assertThat(f.exitCode()).isEqualTo(137);
            assertThat(f.message()).contains("memory limit");
        });
    }

    @Test
    void exitCodeZeroIsSuccess() {
        assertThat(FailureClassifier.classify(pod(PodStatuses.succeeded(T0, T0.plusSeconds(5))), false))
                .isEqualTo(new PodOutcome.Succeeded(0));
    }

    @Test
    void theDisruptionTargetConditionMeansPreemption() {
        PodOutcome o = FailureClassifier.classify(pod(PodStatuses.disrupted(T0, T0.plusSeconds(30))), true);
        assertThat(o).isInstanceOfSatisfying(PodOutcome.Disrupted.class,
                d -> assertThat(d.message()).contains("PreemptionByScheduler").contains("higher priority"));
    }

    @Test
    void evictionIsPreemptionToo() {
        assertThat(FailureClassifier.classify(pod(PodStatuses.evicted(T0)), false))
                .isInstanceOfSatisfying(PodOutcome.Disrupted.class,
                        d -> assertThat(d.message()).startsWith("Evicted").contains("low on resource"));
    }

    @Test
    void aLostNodeIsTheInfrastructuresFault() {
        assertThat(FailureClassifier.classify(pod(PodStatuses.nodeLost(T0)), false))
                .isInstanceOfSatisfying(PodOutcome.Failed.class, f -> {
                    assertThat(f.cause()).isEqualTo(FailureCause.INFRASTRUCTURE);
                    assertThat(f.message()).contains("NodeLost").contains("unresponsive");
                });
    }

    @Test
    void anAgentThatCannotBeInstalledIsTheInfrastructuresFault() {
        assertThat(FailureClassifier.classify(pod(PodStatuses.agentFailed(1, T0)), false))
                .isInstanceOfSatisfying(PodOutcome.Failed.class, f -> {
                    assertThat(f.cause()).isEqualTo(FailureCause.INFRASTRUCTURE);
                    assertThat(f.message()).contains("agent could not be installed");
                });
    }

    @Test
    void aPodDeletedWhileRunningIsNotTheUsersFault() {
        PodOutcome o = FailureClassifier.classify(pod(PodStatuses.failed(143, T0, T0.plusSeconds(9))), true);
        assertThat(o).isInstanceOfSatisfying(PodOutcome.Failed.class, f -> {
            assertThat(f.cause()).isEqualTo(FailureCause.INFRASTRUCTURE);
            assertThat(f.exitCode()).isEqualTo(143);
        });
    }

    @Test
    void anImageThatCannotBePulledFailsOnlyAfterTheGracePeriod() {
        Pod p = pod(PodStatuses.waiting("trainer", "ImagePullBackOff", "Back-off pulling image", T0));
        assertThat(FailureClassifier.stuck(p, T0.plusSeconds(60), Duration.ofMinutes(5))).isEmpty();
        assertThat(FailureClassifier.stuck(p, T0.plusSeconds(301), Duration.ofMinutes(5))).get()
                .satisfies(f -> {
                    assertThat(f.cause()).isEqualTo(FailureCause.IMAGE_PULL);
                    assertThat(f.message()).contains("registry.example.com/team/train:1.2").contains("ImagePullBackOff");
                });
    }

    @Test
    void anInvalidImageNameFailsAtOnce() {
        Pod p = pod(PodStatuses.waiting("trainer", "InvalidImageName", "couldn't parse image reference", T0));
        assertThat(FailureClassifier.stuck(p, T0, Duration.ofMinutes(5))).get()
                .extracting(PodOutcome.Failed::cause).isEqualTo(FailureCause.IMAGE_PULL);
    }

    @Test
    void aMissingAgentImageIsReportedAsSuch() {
        Pod p = pod(PodStatuses.waiting("reprise-agent", "ErrImagePull", "not found", T0));
        assertThat(FailureClassifier.stuck(p, T0.plusSeconds(600), Duration.ofMinutes(5))).get()
                .satisfies(f -> assertThat(f.message()).startsWith("the agent image"));
    }

    @Test
    void aContainerThatCannotBeCreatedCountsAgainstTheUserAfterTheGracePeriod() {
        Pod p = pod(PodStatuses.waiting("trainer", "CreateContainerConfigError", "bad config", T0));
        assertThat(FailureClassifier.stuck(p, T0.plusSeconds(600), Duration.ofMinutes(5))).get()
                .extracting(PodOutcome.Failed::cause).isEqualTo(FailureCause.USER_ERROR);
    }

    @Test
    void aPodThatIsMerelyPullingIsNotStuck() {
        Pod p = pod(PodStatuses.waiting("trainer", "ContainerCreating", null, T0));
        assertThat(FailureClassifier.stuck(p, T0.plusSeconds(3600), Duration.ofMinutes(5))).isEmpty();
    }

    @Test
    void theImageDigestIsTheImageIdWithoutItsRuntimePrefix() {
        assertThat(FailureClassifier.imageDigest(new ContainerStatusBuilder()
                .withImageID("docker-pullable://repo/x@sha256:abc").build())).isEqualTo("repo/x@sha256:abc");
        assertThat(FailureClassifier.imageDigest(new ContainerStatusBuilder()
                .withImageID("repo/x@sha256:abc").build())).isEqualTo("repo/x@sha256:abc");
        assertThat(FailureClassifier.imageDigest(new ContainerStatusBuilder().withImageID("").build())).isNull();
    }

    @Test
    void theExitCodeIsReadFromAPodFailurePolicyMessage() {
        assertThat(FailureClassifier.exitCodeIn("Container trainer for pod ns/p failed with exit code 2 matching"
                + " FailJob rule at index 1")).isEqualTo(2);
        assertThat(FailureClassifier.exitCodeIn("no code")).isNull();
    }
}
