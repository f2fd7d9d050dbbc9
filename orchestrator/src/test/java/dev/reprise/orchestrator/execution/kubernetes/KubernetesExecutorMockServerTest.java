package dev.reprise.orchestrator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.orchestrator.execution.Executor;
import dev.reprise.orchestrator.execution.LaunchException;
import dev.reprise.orchestrator.execution.TrialLaunch;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Launching, idempotency, stopping and listing against Fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class KubernetesExecutorMockServerTest {

    static final String NS = "reprise-test";

    KubernetesClient client;
    private KubernetesExecutor executor;

    @BeforeAll
    static void quiet() {
        QuietLogs.apply();
    }

    @BeforeEach
    void createExecutor() {
        executor = new KubernetesExecutor(client, KubernetesExecutor.Settings.defaults(NS)
                .withBackoff(new Backoff(3, Duration.ofMillis(5), Duration.ofMillis(20))),
                new TrialJobFactory(TrialJobSettings.defaults()), () -> Capabilities.MODERN, Clock.systemUTC());
    }

    @AfterEach
    void closeExecutor() {
        executor.close();
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(NS).list().getItems();
    }

    private List<ConfigMap> configMaps() {
        return client.configMaps().inNamespace(NS).list().getItems();
    }

    @Test
    void launchCreatesTheJobAndAConfigMapOwnedByIt() throws LaunchException {
        executor.launch(TestLaunches.launch().build());

        assertThat(jobs()).singleElement().satisfies(j -> {
            assertThat(j.getMetadata().getName()).isEqualTo("lr-search-42-7-0-00000000");
            assertThat(j.getMetadata().getLabels()).containsEntry("reprise.dev/run", "1001");
            assertThat(j.getSpec().getPodFailurePolicy()).isNotNull();
        });
        Job job = jobs().get(0);
        assertThat(configMaps()).singleElement().satisfies(cm -> {
            assertThat(cm.getMetadata().getName()).isEqualTo("lr-search-42-7-0-00000000");
            assertThat(cm.getData()).containsEntry("config.json", "{\"lr\":0.01,\"batch_size\":64}");
            assertThat(cm.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
                assertThat(o.getKind()).isEqualTo("Job");
                assertThat(o.getUid()).isEqualTo(job.getMetadata().getUid()).isNotBlank();
            });
        });
    }

    @Test
    void launchingTheSameAttemptAgainCountsAsLaunchedAndCreatesNothingNew() throws LaunchException {
        TrialLaunch l = TestLaunches.launch().build();
        executor.launch(l);
        executor.launch(l);
        assertThat(executor.launchAll(List.of(l, l, l))).isEmpty();
        assertThat(jobs()).hasSize(1);
        assertThat(configMaps()).hasSize(1);
    }

    @Test
    void aCrashBetweenJobAndConfigMapIsRepairedByLaunchingAgain() throws LaunchException {
        TrialLaunch l = TestLaunches.launch().build();
        executor.launch(l);
        client.configMaps().inNamespace(NS).withName("lr-search-42-7-0-00000000").delete();
        executor.launch(l);
        assertThat(configMaps()).singleElement().extracting(cm -> cm.getMetadata().getName())
                .isEqualTo("lr-search-42-7-0-00000000");
    }

    @Test
    void launchAllCreatesExactlyTheExpectedJobs() {
        List<TrialLaunch> launches = IntStream.range(0, 60)
                .mapToObj(i -> TestLaunches.launch(42, "lr-search", 5000 + i, i, 0)).toList();
        List<Executor.LaunchFailure> failures = executor.launchAll(launches);

        assertThat(failures).isEmpty();
        assertThat(jobs()).extracting(j -> j.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 60).mapToObj(i -> "lr-search-42-" + i + "-0-00000000").toList());
        assertThat(configMaps()).hasSize(60);
    }

    @Test
    void aJobNameTakenByAnotherTrialIsAFailureThatRetryingCannotFix() {
        client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder()
                .withNewMetadata().withName("lr-search-42-7-0-00000000").addToLabels("reprise.dev/run", "999")
                .addToLabels("reprise.dev/installation", TrialJobFactory.UNSTORED_INSTALLATION)
                .addToLabels("reprise.dev/attempt", "0").addToLabels("reprise.dev/sweep-id", "42").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("x").withImage("x")
                .endContainer().withRestartPolicy("Never").endSpec().endTemplate().endSpec().build()).create();

        assertThatThrownBy(() -> executor.launch(TestLaunches.launch().build()))
                .isInstanceOfSatisfying(LaunchException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("already exists and does not belong to run 1001 attempt 0");
                });
        assertThat(configMaps()).isEmpty();
    }

    @Test
    void stopDeletesOnlyThatAttemptsJobAndConfigMap() throws LaunchException {
        executor.launch(TestLaunches.launch(42, "lr-search", 1, 0, 0));
        executor.launch(TestLaunches.launch(42, "lr-search", 1, 0, 1));
        executor.launch(TestLaunches.launch(42, "lr-search", 2, 1, 0));

        executor.stop(1, 0);

        assertThat(jobs()).extracting(j -> j.getMetadata().getName())
                .containsExactlyInAnyOrder("lr-search-42-0-1-00000000", "lr-search-42-1-0-00000000");
        assertThat(configMaps()).extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder("lr-search-42-0-1-00000000", "lr-search-42-1-0-00000000");
    }

    @Test
    void stopSweepDeletesEveryJobOfThatSweepAndNoOther() {
        List<TrialLaunch> launches = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            launches.add(TestLaunches.launch(42, "lr-search", 100 + i, i, 0));
            launches.add(TestLaunches.launch(43, "lr-search", 200 + i, i, 0)); // same name, other project
        }
        assertThat(executor.launchAll(launches)).isEmpty();

        executor.stopSweep(42);

        assertThat(jobs()).hasSize(5).allSatisfy(j -> assertThat(j.getMetadata().getLabels())
                .containsEntry("reprise.dev/sweep-id", "43"));
        assertThat(configMaps()).hasSize(5);
    }

    @Test
    void stoppingWhatDoesNotExistIsHarmless() {
        executor.stop(77, 3);
        executor.stopSweep(77);
        assertThat(jobs()).isEmpty();
    }

    @Test
    void listReportsEveryRepriseTrialAndIgnoresOtherJobs() {
        assertThat(executor.launchAll(List.of(TestLaunches.launch(42, "a", 1, 0, 0),
                TestLaunches.launch(42, "a", 1, 0, 1), TestLaunches.launch(43, "b", 9, 3, 2)))).isEmpty();
        client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder()
                .withNewMetadata().withName("not-ours").withLabels(Map.of("app", "other")).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("x").withImage("x")
                .endContainer().withRestartPolicy("Never").endSpec().endTemplate().endSpec().build()).create();

        assertThat(executor.list()).containsExactlyInAnyOrder(new Executor.TrialRef(1, 0, 42),
                new Executor.TrialRef(1, 1, 42), new Executor.TrialRef(9, 2, 43));
    }
}
