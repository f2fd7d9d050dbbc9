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
 * Where and how a trial pod runs: resources and GPUs, placement from the queue, networking, and the restricted
 * security profile.
 */
class TrialPodPlacementTest {

    private final TrialJobFactory factory = new TrialJobFactory(TrialJobSettings.defaults());
    private final TrialLaunch launch = TestLaunches.launch().build();

    private Job job() {
        return factory.desiredJob(launch, Capabilities.MODERN);
    }

    private static List<Container> allContainers(PodSpec spec) {
        return Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream()).toList();
    }

    @Test
    void hostNetworkPodsUseTheNodesNetworkAndDnsOnlyWhenConfigured() {
        Job plain = factory.desiredJob(launch, Capabilities.MODERN);
        assertThat(plain.getSpec().getTemplate().getSpec().getHostNetwork()).isNull();
        assertThat(plain.getSpec().getTemplate().getSpec().getDnsPolicy()).isNull();

        Job host = new TrialJobFactory(TrialJobSettings.defaults().withHostNetwork(true))
                .desiredJob(launch, Capabilities.MODERN);
        assertThat(host.getSpec().getTemplate().getSpec().getHostNetwork()).isTrue();
        assertThat(host.getSpec().getTemplate().getSpec().getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    }

    @Test
    void resourcesRequestCpuAndMemoryLimitMemoryAndCountGpus() {
        Container trainer = job().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(trainer.getResources().getRequests())
                .containsEntry("cpu", new Quantity("2"))
                .containsEntry("memory", new Quantity("8Gi"));
        assertThat(trainer.getResources().getLimits())
                .containsEntry("memory", new Quantity("8Gi"))
                .containsEntry("nvidia.com/gpu", new Quantity("1"))
                .doesNotContainKey("cpu");
        PodSpec pod = job().getSpec().getTemplate().getSpec();
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
    }

    @Test
    void aGpuTypeSelectsNodesByTheirGpuProductLabel() {
        TrialLaunch l = TestLaunches.launch().resources("4", "32Gi", 8, "NVIDIA-A100-SXM4-80GB").build();
        PodSpec pod = factory.desiredJob(l, Capabilities.MODERN).getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB");
        assertThat(pod.getContainers().get(0).getResources().getLimits()).containsEntry("nvidia.com/gpu",
                new Quantity("8"));
    }

    @Test
    void cpuOnlyTrialsAskForNoGpuAndTolerateNoGpuTaint() {
        TrialLaunch l = TestLaunches.launch().resources("500m", null, 0, null).build();
        PodSpec pod = factory.desiredJob(l, Capabilities.MODERN).getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().get(0).getResources().getLimits()).isEmpty();
        assertThat(pod.getContainers().get(0).getResources().getRequests()).containsOnlyKeys("cpu");
        assertThat(pod.getTolerations()).isEmpty();
        assertThat(pod.getNodeSelector()).isEmpty();
    }

    @Test
    void placementFromTheQueueGoesIntoThePodSpec() {
        TrialLaunch l = TestLaunches.launch().placement(new TrialLaunch.Placement(
                Map.of("pool", "a100", "cloud.google.com/gke-spot", "true"),
                List.of(new TrialLaunch.Toleration("dedicated", "Equal", "ml", "NoSchedule"),
                        new TrialLaunch.Toleration("nvidia.com/gpu", "Exists", null, null)),
                "research-low", "trial-runner", null)).build();
        PodSpec pod = factory.desiredJob(l, Capabilities.MODERN).getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).containsExactly(Map.entry("cloud.google.com/gke-spot", "true"),
                Map.entry("pool", "a100"));
        assertThat(pod.getTolerations()).extracting(Toleration::getKey, Toleration::getOperator, Toleration::getValue,
                Toleration::getEffect).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("dedicated", "Equal", "ml", "NoSchedule"),
                        org.assertj.core.groups.Tuple.tuple("nvidia.com/gpu", "Exists", null, null));
        assertThat(pod.getPriorityClassName()).isEqualTo("research-low");
        assertThat(pod.getServiceAccountName()).isEqualTo("trial-runner");
        assertThat(pod.getAutomountServiceAccountToken()).isNull();
    }

    @Test
    void trialsWithoutAServiceAccountGetNoApiToken() {
        PodSpec pod = job().getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isNull();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getEnableServiceLinks()).isFalse();
    }

    @Test
    void podMeetsThePodSecurityStandardsRestrictedProfile() {
        PodSpec pod = job().getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getVolumes()).allSatisfy(v -> {
            assertThat(v.getHostPath()).isNull();
            assertThat(v.getEmptyDir() != null || v.getConfigMap() != null).isTrue();
        });
        assertThat(allContainers(pod)).hasSize(2).allSatisfy(c -> {
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(c.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
            assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
            assertThat(c.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(c.getPorts()).isNullOrEmpty();
        });
    }
}
