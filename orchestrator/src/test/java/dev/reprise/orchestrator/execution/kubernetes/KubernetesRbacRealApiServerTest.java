package dev.reprise.orchestrator.execution.kubernetes;

import static dev.reprise.orchestrator.execution.kubernetes.RealApiServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.execution.Executor;
import dev.reprise.orchestrator.execution.TrialLaunch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Role in k8s/rbac.yaml is enough for the Kubernetes executor to do all of its work (discover, launch, watch,
 * list, stop) with nothing but that Role's ServiceAccount token, and it grants no access to Secrets or to anything
 * outside its namespace.
 */
class KubernetesRbacRealApiServerTest {

    static final Path RBAC = Path.of("..", "k8s", "rbac.yaml");

    private static KubernetesClient admin;
    private static KubernetesClient orchestrator;
    private static String ns;

    @BeforeAll
    static void installTheRoleAndLogInAsItsServiceAccount() throws IOException {
        QuietLogs.apply();
        admin = RealApiServer.adminClient();
        ns = RealApiServer.freshNamespace(admin, "reprise-rbac");
        try (InputStream in = Files.newInputStream(RBAC)) {
            for (HasMetadata item : admin.load(in).items()) {
                item.getMetadata().setNamespace(ns);
                if (item instanceof RoleBinding binding) {
                    binding.getSubjects().forEach(s -> s.setNamespace(ns));
                }
                admin.resource(item).inNamespace(ns).create();
            }
        }
        String token = admin.serviceAccounts().inNamespace(ns).withName("reprise-orchestrator")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        orchestrator = RealApiServer.tokenClient(admin, token);
        admin.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("db-password")
                .endMetadata().addToStringData("password", "hunter2").build()).create();
    }

    @AfterAll
    static void cleanUp() {
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (admin != null) {
            RealApiServer.deleteNamespace(admin, ns);
            admin.close();
        }
    }

    @Test
    void theRoleIsEnoughForTheExecutorToDiscoverLaunchWatchListAndStop() throws Exception {
        RecordingObserver observed = new RecordingObserver();
        try (KubernetesExecutor executor = new KubernetesExecutor(orchestrator, KubernetesExecutor.Settings.defaults(ns)
                .withBackoff(new Backoff(2, Duration.ofMillis(50), Duration.ofMillis(200))),
                new TrialJobFactory(TrialJobSettings.defaults()), null, Clock.systemUTC())) {
            executor.start(observed); // version + dry-run probe, informers on jobs and pods
            assertThat(executor.capabilities().version()).isEqualTo("1.20");

            List<TrialLaunch> launches = IntStream.range(0, 3).mapToObj(i -> TestLaunches.launch(5, "rbac", 50 + i, i,
                    0)).toList();
            List<Executor.LaunchFailure> failures = executor.launchAll(launches);
            assertThat(failures).isEmpty();
            assertThat(executor.launchAll(launches)).isEmpty(); // AlreadyExists path: needs get on jobs

            TrialLaunch first = launches.get(0);
            AttemptKey key = new AttemptKey(first.runId(), first.attempt());
            RealApiServer.setPodStatus(admin, ns, RealApiServer.awaitPod(admin, ns, key),
                    PodStatuses.succeeded(Instant.now().minusSeconds(3), Instant.now()));
            await().atMost(WAIT).untilAsserted(() -> assertThat(observed.kinds(key))
                    .containsExactly("Launched", "Running", "Succeeded"));

            assertThat(executor.list()).hasSize(3);
            executor.stop(51, 0);
            assertThat(executor.list()).extracting(Executor.TrialRef::runId).containsExactlyInAnyOrder(50L, 52L);
            executor.stopSweep(5);
            assertThat(executor.list()).isEmpty();
            await().atMost(WAIT).until(() -> admin.configMaps().inNamespace(ns)
                    .withLabel(TrialLabels.MANAGED_BY, "reprise").list().getItems().isEmpty());
        }
    }

    @Test
    void theRoleCannotReadOrWriteSecrets() {
        assertForbidden(() -> orchestrator.secrets().inNamespace(ns).list());
        assertForbidden(() -> orchestrator.secrets().inNamespace(ns).withName("db-password").get());
        assertForbidden(() -> orchestrator.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata()
                .withName("x").endMetadata().build()).create());
    }

    @Test
    void theRoleReachesNothingOutsideItsNamespace() {
        assertForbidden(() -> orchestrator.batch().v1().jobs().inNamespace("default").list());
        assertForbidden(() -> orchestrator.pods().inAnyNamespace().list());
        assertForbidden(() -> orchestrator.nodes().list());
        assertForbidden(() -> orchestrator.namespaces().list());
    }

    @Test
    void theRoleCannotChangeItsOwnPermissionsOrRunWorkloadsOtherThanJobs() {
        assertForbidden(() -> orchestrator.rbac().roles().inNamespace(ns).list());
        assertForbidden(() -> orchestrator.apps().deployments().inNamespace(ns).list());
        assertForbidden(() -> orchestrator.pods().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model
                .PodBuilder().withNewMetadata().withName("sneaky").endMetadata().withNewSpec().addNewContainer()
                .withName("c").withImage("busybox").endContainer().endSpec().build()).create());
        assertForbidden(() -> orchestrator.pods().inNamespace(ns).withName("anything").delete());
    }

    private static void assertForbidden(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getCode()).isEqualTo(403));
    }
}
