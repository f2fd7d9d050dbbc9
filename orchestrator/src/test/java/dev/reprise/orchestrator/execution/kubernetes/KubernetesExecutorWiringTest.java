package dev.reprise.orchestrator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.execution.Executor;
import dev.reprise.orchestrator.execution.LaunchException;
import dev.reprise.orchestrator.persistence.InstallationIdentity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * {@code reprise.executor=kubernetes} gives the application the Kubernetes executor, configured from
 * {@code reprise.kubernetes.*}, on the application's Kubernetes client with raised request limits.
 */
@QuarkusTest
@TestProfile(KubernetesExecutorProfile.class)
@WithKubernetesTestServer(crud = true)
class KubernetesExecutorWiringTest {

    @Inject
    Instance<Executor> executors;

    @Inject
    KubernetesClient client;

    @Inject
    InstallationIdentity installation;

    @Test
    void theKubernetesExecutorIsTheOneLookedUp() {
        assertThat(executors.isResolvable()).isTrue();
        assertThat(executors.get()).isInstanceOfSatisfying(KubernetesExecutor.class, k -> {
            assertThat(k.namespace()).isEqualTo(KubernetesExecutorProfile.NAMESPACE);
            assertThat(k.capabilities()).isEqualTo(Capabilities.forVersion(1, 31));
        });
    }

    @Test
    void theClientMayRunManyRequestsPerHost() {
        assertThat(client.getConfiguration().getMaxConcurrentRequestsPerHost()).isEqualTo(256);
        assertThat(client.getConfiguration().getMaxConcurrentRequests()).isEqualTo(256);
    }

    @Test
    void jobsAreBuiltFromTheConfiguredSettings() throws LaunchException {
        executors.get().launch(TestLaunches.launch().sweep(777, "wiring").build());

        Job job = client.batch().v1().jobs().inNamespace(KubernetesExecutorProfile.NAMESPACE)
                .withName("wiring-777-7-0-" + installation.id()).get();
        assertThat(job).isNotNull();
        assertThat(job.getMetadata().getLabels()).containsEntry(TrialLabels.INSTALLATION, installation.id());
        assertThat(installation.id()).matches("[0-9a-f]{8}");
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(600);
        assertThat(job.getSpec().getTemplate().getSpec().getInitContainers().get(0).getImage())
                .isEqualTo(KubernetesExecutorProfile.AGENT_IMAGE);
        assertThat(job.getSpec().getPodFailurePolicy().getRules().get(1).getOnExitCodes().getValues())
                .containsExactly(3, 4);
        executors.get().stopSweep(777);
    }
}
