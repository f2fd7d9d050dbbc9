package dev.reprise.orchestrator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.execution.TrialLaunch;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run token reaches the trainer as a plain variable; the pod stays restricted and gets no cluster credential. */
class TrialJobRunTokenTest {

    private final TrialJobFactory factory = new TrialJobFactory(TrialJobSettings.defaults());

    @Test
    void passesTheRunTokenToTheTrainerAndNoClusterCredential() {
        TrialLaunch launch = TestLaunches.launch().env(Map.of("REPRISE_RUN_TOKEN", "rpr_run_7_0_secret")).build();
        Job job = factory.desiredJob(launch, Capabilities.MODERN);
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container trainer = pod.getContainers().get(0);
        assertThat(trainer.getEnv()).filteredOn(e -> e.getName().equals("REPRISE_RUN_TOKEN"))
                .extracting(EnvVar::getValue).containsExactly("rpr_run_7_0_secret");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getSecret()).isNull())
                .allSatisfy(v -> assertThat(v.getProjected()).isNull());
        assertThat(trainer.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(trainer.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(factory.desiredConfigMap(launch).getData().values())
                .as("the token is not written into the ConfigMap").noneMatch(v -> v.contains("rpr_run_"));
    }
}
