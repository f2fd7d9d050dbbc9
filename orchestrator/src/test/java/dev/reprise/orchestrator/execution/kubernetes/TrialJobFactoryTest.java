package dev.reprise.orchestrator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.execution.TrialLaunch;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The trial Job itself: its name, labels and annotations, and the policies that leave retries and deadlines to
 * Reprise.
 */
class TrialJobFactoryTest {

    private final TrialJobFactory factory = new TrialJobFactory(TrialJobSettings.defaults());
    private final TrialLaunch launch = TestLaunches.launch().build();

    private Job job() {
        return factory.desiredJob(launch, Capabilities.MODERN);
    }

    private static List<Container> allContainers(PodSpec spec) {
        return Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream()).toList();
    }

    @Test
    void jobIsNamedAfterSweepRunAndAttempt() {
        assertThat(job().getMetadata().getName()).isEqualTo("lr-search-42-7-0-00000000");
        assertThat(job().getApiVersion()).isEqualTo("batch/v1");
        assertThat(job().getKind()).isEqualTo("Job");
    }

    @Test
    void jobPodTemplateAndConfigMapCarryTheSameReprisLabels() {
        Map<String, String> expected = Map.of(
                "app.kubernetes.io/name", "reprise",
                "app.kubernetes.io/managed-by", "reprise",
                "app.kubernetes.io/component", "trial",
                "reprise.dev/installation", "00000000",
                "reprise.dev/project", "vision",
                "reprise.dev/sweep", "lr-search",
                "reprise.dev/sweep-id", "42",
                "reprise.dev/run", "1001",
                "reprise.dev/run-index", "7",
                "reprise.dev/attempt", "0");
        assertThat(job().getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(job().getSpec().getTemplate().getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(factory.desiredConfigMap(launch).getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(expected);
        for (String v : expected.values()) {
            assertThat(KubernetesNames.labelValueError(v)).isEmpty();
        }
    }

    @Test
    void kueueQueueLabelIsSetOnlyWhenTheQueueNamesOne() {
        assertThat(job().getMetadata().getLabels()).doesNotContainKey("kueue.x-k8s.io/queue-name");
        TrialLaunch queued = TestLaunches.launch()
                .placement(new TrialLaunch.Placement(Map.of(), List.of(), null, null, "team-a-gpus")).build();
        Job j = factory.desiredJob(queued, Capabilities.MODERN);
        assertThat(j.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "team-a-gpus");
        assertThat(j.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("kueue.x-k8s.io/queue-name", "team-a-gpus");
    }

    @Test
    void sweepAndProjectNamesThatAreNotLabelValuesAreSanitisedAndKeptInAnnotations() {
        TrialLaunch l = TestLaunches.launch().sweep(5, "LR sweep (night)").project("Team Vision").build();
        Job j = factory.desiredJob(l, Capabilities.MODERN);
        assertThat(KubernetesNames.labelValueError(j.getMetadata().getLabels().get("reprise.dev/sweep"))).isEmpty();
        assertThat(KubernetesNames.labelValueError(j.getMetadata().getLabels().get("reprise.dev/project"))).isEmpty();
        assertThat(j.getMetadata().getAnnotations())
                .containsEntry("reprise.dev/sweep-name", "LR sweep (night)")
                .containsEntry("reprise.dev/project-name", "Team Vision");
    }

    @Test
    void annotationsRecordConfigHashAndRequestedImage() {
        assertThat(job().getMetadata().getAnnotations())
                .containsEntry("reprise.dev/config-hash", "3f1c0ffee")
                .containsEntry("reprise.dev/image", "registry.example.com/team/train:1.2");
        assertThat(job().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("reprise.dev/config-hash", "3f1c0ffee")
                .containsEntry("kubectl.kubernetes.io/default-container", "trainer");
    }

    @Test
    void repriseOwnsRetriesSoTheJobNeverRetriesItself() {
        Job j = job();
        assertThat(j.getSpec().getBackoffLimit()).isZero();
        assertThat(j.getSpec().getCompletions()).isEqualTo(1);
        assertThat(j.getSpec().getParallelism()).isEqualTo(1);
        assertThat(j.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(j.getSpec().getTtlSecondsAfterFinished()).isEqualTo(86_400);
    }

    @Test
    void aTrialsTimeLimitIsItsJobsActiveDeadlineAndNoLimitLeavesItOut() {
        assertThat(job().getSpec().getActiveDeadlineSeconds()).isNull();
        Job limited = factory.desiredJob(TestLaunches.launch().timeLimit(7200).build(), Capabilities.forVersion(1, 20));
        assertThat(limited.getSpec().getActiveDeadlineSeconds()).isEqualTo(7200L);
    }

    @Test
    void podFailurePolicyIgnoresDisruptionsAndFailsFastOnChosenExitCodes() {
        List<PodFailurePolicyRule> rules = job().getSpec().getPodFailurePolicy().getRules();
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).getAction()).isEqualTo("Ignore");
        assertThat(rules.get(0).getOnPodConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("DisruptionTarget");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThat(rules.get(1).getAction()).isEqualTo("FailJob");
        assertThat(rules.get(1).getOnExitCodes().getContainerName()).isEqualTo("trainer");
        assertThat(rules.get(1).getOnExitCodes().getOperator()).isEqualTo("In");
        assertThat(rules.get(1).getOnExitCodes().getValues()).containsExactly(1, 2, 126, 127);
    }

    @Test
    void fieldsTheServerDoesNotSupportAreLeftOut() {
        Job legacy = factory.desiredJob(launch, Capabilities.forVersion(1, 20));
        assertThat(legacy.getSpec().getPodFailurePolicy()).isNull();
        assertThat(legacy.getSpec().getTtlSecondsAfterFinished()).isNull();
        Job gated = factory.desiredJob(launch, Capabilities.forVersion(1, 20).withProbe(false, true));
        assertThat(gated.getSpec().getTtlSecondsAfterFinished()).isEqualTo(86_400);
        assertThat(gated.getSpec().getPodFailurePolicy()).isNull();
    }

    @Test
    void exitCodeZeroIsNeverAFailFastCodeAndCodesAreSortedOnce() {
        TrialJobSettings s = new TrialJobSettings("agent:1", "Always", null,
                new java.util.TreeSet<>(List.of(127, 0, 3, 3, 1)), 1000L, 1000L, null, 30, "nvidia.com/gpu", "gpu",
                false);
        Job j = new TrialJobFactory(s).desiredJob(launch, Capabilities.MODERN);
        assertThat(j.getSpec().getPodFailurePolicy().getRules().get(1).getOnExitCodes().getValues())
                .containsExactly(1, 3, 127);
        assertThat(j.getSpec().getTtlSecondsAfterFinished()).isNull();
    }
}
