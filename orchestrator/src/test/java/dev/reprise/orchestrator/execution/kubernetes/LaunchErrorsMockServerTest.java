package dev.reprise.orchestrator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.orchestrator.execution.Executor;
import dev.reprise.orchestrator.execution.LaunchException;
import dev.reprise.orchestrator.execution.TrialLaunch;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API-server errors never crash the caller and never lose or double a trial: transient ones are retried with backoff,
 * the rest come back as a LaunchException carrying the server's own message. Fabric8's own retries are switched off
 * here so that Reprise's are what is tested (in production both apply).
 */
@EnableKubernetesMockClient
class LaunchErrorsMockServerTest {

    static final String NS = "reprise-test";
    static final String JOBS = "/apis/batch/v1/namespaces/" + NS + "/jobs";
    static final String CONFIG_MAPS = "/api/v1/namespaces/" + NS + "/configmaps";

    KubernetesMockServer server;
    KubernetesClient mockClient;
    private KubernetesClient client;
    private KubernetesExecutor executor;
    private final TrialLaunch launch = TestLaunches.launch().build();
    private final TrialJobFactory factory = new TrialJobFactory(TrialJobSettings.defaults());

    @BeforeAll
    static void quiet() {
        QuietLogs.apply();
    }

    @BeforeEach
    void createExecutor() {
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(mockClient.getConfiguration())
                .withRequestRetryBackoffLimit(0).withRequestTimeout(1500).build()).build();
        executor = new KubernetesExecutor(client, KubernetesExecutor.Settings.defaults(NS)
                .withBackoff(new Backoff(3, Duration.ofMillis(5), Duration.ofMillis(20))), factory,
                () -> Capabilities.MODERN, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        executor.close();
        client.close();
    }

    private Job created() {
        return new JobBuilder(factory.desiredJob(launch, Capabilities.MODERN)).editMetadata().withUid("job-uid")
                .withNamespace(NS).endMetadata().build();
    }

    private ConfigMap createdConfigMap() {
        return factory.desiredConfigMap(launch);
    }

    private static Status status(int code, String reason, String message) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build();
    }

    private int posts(String path) throws InterruptedException {
        return (int) requests().stream().filter(r -> r.startsWith("POST " + path)).count();
    }

    /** Every request the server received so far, as "METHOD path" (query strings cut), in order. */
    private java.util.List<String> requests() throws InterruptedException {
        java.util.List<String> out = new java.util.ArrayList<>();
        int count = server.getRequestCount();
        for (int i = 0; i < count; i++) {
            var r = server.takeRequest(1, TimeUnit.SECONDS);
            if (r != null) {
                String path = r.getPath();
                out.add(r.getMethod() + " " + (path.contains("?") ? path.substring(0, path.indexOf('?')) : path));
            }
        }
        return out;
    }

    @Test
    void serviceUnavailableIsRetriedWithBackoffUntilTheServerAccepts() throws Exception {
        server.expect().post().withPath(JOBS).andReturn(503, status(503, "ServiceUnavailable", "etcd leader changed"))
                .times(2);
        server.expect().post().withPath(JOBS).andReturn(201, created()).once();
        server.expect().post().withPath(CONFIG_MAPS).andReturn(201, createdConfigMap()).once();

        executor.launch(launch);

        assertThat(posts(JOBS)).isEqualTo(3);
    }

    @Test
    void tooManyRequestsIsRetriedToo() throws Exception {
        server.expect().post().withPath(JOBS).andReturn(429, status(429, "TooManyRequests", "slow down")).once();
        server.expect().post().withPath(JOBS).andReturn(201, created()).once();
        server.expect().post().withPath(CONFIG_MAPS).andReturn(429, status(429, "TooManyRequests", "slow down"))
                .once();
        server.expect().post().withPath(CONFIG_MAPS).andReturn(201, createdConfigMap()).once();

        executor.launch(launch);

        assertThat(requests()).containsExactly("POST " + JOBS, "POST " + JOBS, "POST " + CONFIG_MAPS,
                "POST " + CONFIG_MAPS);
    }

    @Test
    void aServerThatKeepsFailingGivesARetryableFailureAfterTheLastAttempt() {
        server.expect().post().withPath(JOBS).andReturn(500, status(500, "InternalError", "etcdserver: timeout"))
                .always();

        assertThatThrownBy(() -> executor.launch(launch)).isInstanceOfSatisfying(LaunchException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).isEqualTo("create Job lr-search-42-7-0-00000000 failed (after 3 attempts): 500"
                    + " InternalError: etcdserver: timeout");
        });
    }

    @Test
    void anInvalidJobIsRefusedAtOnceWithTheServersMessage() throws Exception {
        server.expect().post().withPath(JOBS).andReturn(422, status(422, "Invalid", "Job.batch \"lr-search-42-7-0-00000000\""
                + " is invalid: spec.template.spec.tolerations[0].effect: Unsupported value: \"Sometimes\"")).always();

        assertThatThrownBy(() -> executor.launch(launch)).isInstanceOfSatisfying(LaunchException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("422 Invalid").contains("Unsupported value: \"Sometimes\"");
        });
        assertThat(posts(JOBS)).isEqualTo(1);
    }

    @Test
    void aLaunchTheJobFactoryRefusesFailsThatRunWithTheReasonAndSendsNothing() throws Exception {
        // the agents' Kafka password inline, and no Secret configured to take it from: no Job may carry it
        TrialLaunch withPassword = TestLaunches.launch().env(Map.of("REPRISE_KAFKA_PASSWORD", "inline-password"))
                .build();

        assertThatThrownBy(() -> executor.launch(withPassword)).isInstanceOfSatisfying(LaunchException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("reprise.kubernetes.agent-kafka-secret")
                    .doesNotContain("inline-password");
        });
        assertThat(posts(JOBS)).isZero();
    }

    @Test
    void forbiddenIsNotRetried() throws Exception {
        server.expect().post().withPath(JOBS).andReturn(403, status(403, "Forbidden", "jobs.batch is forbidden: User"
                + " \"system:serviceaccount:reprise:reprise-orchestrator\" cannot create resource \"jobs\"")).always();

        assertThatThrownBy(() -> executor.launch(launch)).isInstanceOfSatisfying(LaunchException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("403 Forbidden").contains("cannot create resource");
        });
        assertThat(posts(JOBS)).isEqualTo(1);
    }

    @Test
    void anExhaustedQuotaIsRetryableLaterButNotHammeredNow() throws Exception {
        server.expect().post().withPath(JOBS).andReturn(403, status(403, "Forbidden", "pods \"x\" is forbidden:"
                + " exceeded quota: gpu-quota, requested: requests.nvidia.com/gpu=1, used: 8, limited: 8")).always();

        assertThatThrownBy(() -> executor.launch(launch)).isInstanceOfSatisfying(LaunchException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("exceeded quota");
        });
        assertThat(posts(JOBS)).isEqualTo(1);
    }

    @Test
    void aTimeoutIsRetriedAndTheRetryFindsTheJobTheFirstTryCreated() throws Exception {
        // the first POST reaches the server but its answer comes too late; the retry gets AlreadyExists
        server.expect().post().delay(4, TimeUnit.SECONDS).withPath(JOBS).andReturn(201, created()).once();
        server.expect().post().withPath(JOBS).andReturn(409, status(409, "AlreadyExists", "jobs.batch"
                + " \"lr-search-42-7-0-00000000\" already exists")).once();
        server.expect().get().withPath(JOBS + "/lr-search-42-7-0-00000000").andReturn(200, created()).once();
        server.expect().post().withPath(CONFIG_MAPS).andReturn(201, createdConfigMap()).once();

        executor.launch(launch);

        // one Job in the end: the retry adopted the first try's (found by name), then made its ConfigMap
        assertThat(requests()).containsExactly("POST " + JOBS, "POST " + JOBS, "GET " + JOBS
                + "/lr-search-42-7-0-00000000", "POST " + CONFIG_MAPS);
    }

    @Test
    void anUnreachableServerGivesRetryableFailuresAndNeverAnEmptyList() {
        KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("https://127.0.0.1:1").withRequestRetryBackoffLimit(0).withConnectionTimeout(300)
                .withRequestTimeout(300).build()).build();
        try (KubernetesExecutor offline = new KubernetesExecutor(unreachable, KubernetesExecutor.Settings.defaults(NS)
                .withBackoff(new Backoff(2, Duration.ofMillis(5), Duration.ofMillis(10))), factory,
                () -> Capabilities.MODERN, Clock.systemUTC())) {
            List<Executor.LaunchFailure> failures = offline.launchAll(List.of(launch,
                    TestLaunches.launch().run(1002, 8).build()));
            assertThat(failures).hasSize(2).allSatisfy(f -> {
                assertThat(f.error().retryable()).isTrue();
                assertThat(f.error().getMessage()).contains("no response from the API server");
            });
            assertThatThrownBy(offline::list).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot list Reprise Jobs");
            offline.stop(1001, 0); // logged, never thrown
            offline.stopSweep(42);
        } finally {
            unreachable.close();
        }
    }

    @Test
    void capabilityDiscoveryFailingMakesLaunchesRetryableFailures() {
        KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("https://127.0.0.1:1").withRequestRetryBackoffLimit(0).withConnectionTimeout(300)
                .withRequestTimeout(300).build()).build();
        try (KubernetesExecutor blind = new KubernetesExecutor(unreachable, KubernetesExecutor.Settings.defaults(NS)
                .withBackoff(new Backoff(2, Duration.ofMillis(5), Duration.ofMillis(10))), factory, null,
                Clock.systemUTC())) {
            assertThatThrownBy(() -> blind.launch(launch)).isInstanceOfSatisfying(LaunchException.class, e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.getMessage()).startsWith("cannot reach the Kubernetes API server");
            });
        } finally {
            unreachable.close();
        }
    }

    @Test
    void discoveryBelievesWhatTheServerKeptRatherThanWhatItsVersionSuggests() throws Exception {
        server.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("30+").withGitVersion("v1.30.2")
                .build());
        // a 1.30 server with the JobPodFailurePolicy feature gate off: the dry run comes back without the policy
        Job probe = CapabilityDiscovery.probeJob(factory);
        Job accepted = new JobBuilder(probe).editSpec().withPodFailurePolicy(null).endSpec().build();
        server.expect().post().withPath(JOBS + "?dryRun=All").andReturn(201, accepted).once();

        Capabilities c = CapabilityDiscovery.discover(mockClient, NS, factory);

        assertThat(c.major()).isEqualTo(1);
        assertThat(c.minor()).isEqualTo(30);
        assertThat(c.podFailurePolicy()).isFalse();
        assertThat(c.ttlSecondsAfterFinished()).isTrue();
        assertThat(c.disruptionTargetCondition()).isTrue();
    }

    @Test
    void aRefusedProbeFallsBackToTheVersionsDefaults() {
        server.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("27").withGitVersion("v1.27.0")
                .build());
        server.expect().post().withPath(JOBS + "?dryRun=All").andReturn(403, status(403, "Forbidden", "no")).once();

        assertThat(CapabilityDiscovery.discover(mockClient, NS, factory)).isEqualTo(Capabilities.forVersion(1, 27));
    }
}
