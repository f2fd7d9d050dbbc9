package dev.reprise.orchestrator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.execution.DistributedEnv;
import dev.reprise.orchestrator.execution.TrialLaunch;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The Job of a distributed trial ({@code resources.nodes} = N): one Job, N pods, one fate. N = 1 must stay exactly
 * the Job of an ordinary trial, byte for byte: {@code src/test/resources/kubernetes/trial-job-*.yaml} are the Jobs
 * the factory built before distributed trials existed (regenerate them with {@code -Dreprise.golden.update=true}
 * only when the one-node Job is meant to change).
 */
class DistributedTrialJobFactoryTest {

    private static final Path GOLDEN = Path.of("src", "test", "resources", "kubernetes");

    private final TrialJobFactory factory = new TrialJobFactory(TrialJobSettings.defaults());

    private static Map<String, EnvVar> env(Job job) {
        Container trainer = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        return trainer.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity()));
    }

    private static void assertGolden(Job job, String file) throws IOException {
        String yaml = Serialization.asYaml(job);
        if (Boolean.getBoolean("reprise.golden.update")) {
            Files.writeString(GOLDEN.resolve(file), yaml);
        }
        assertThat(yaml).isEqualTo(Files.readString(GOLDEN.resolve(file)));
    }

    @Test
    void oneNodeIsExactlyTheJobOfAnOrdinaryTrialOnEveryServer() throws IOException {
        TrialLaunch oneNode = TestLaunches.launch().nodes(1).build();
        TrialLaunch ordinary = TestLaunches.launch().build();
        for (Capabilities c : new Capabilities[] {Capabilities.MODERN, Capabilities.forVersion(1, 20),
                Capabilities.forVersion(1, 22)}) {
            assertThat(factory.desiredJob(oneNode, c)).isEqualTo(factory.desiredJob(ordinary, c));
        }
        assertGolden(factory.desiredJob(oneNode, Capabilities.MODERN), "trial-job-modern.yaml");
        assertGolden(factory.desiredJob(oneNode, Capabilities.forVersion(1, 20)), "trial-job-1.20.yaml");
        Job job = factory.desiredJob(oneNode, Capabilities.MODERN);
        assertThat(job.getSpec().getCompletionMode()).isNull();
        assertThat(env(job)).doesNotContainKeys("MASTER_PORT", "WORLD_SIZE", "NNODES", "NODE_RANK", "RANK",
                "LOCAL_RANK", "REPRISE_POD_IP");
        assertThat(job.getMetadata().getLabels()).doesNotContainKey(TrialLabels.NODES);
    }

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {2, 8})
    void nNodesAreOneIndexedJobOfNPodsWhoseCompletionIndexIsTheRank(int nodes) {
        Job job = factory.desiredJob(TestLaunches.launch().nodes(nodes).build(), Capabilities.MODERN);
        assertThat(job.getMetadata().getName()).isEqualTo(
                factory.desiredJob(TestLaunches.launch().build(), Capabilities.MODERN).getMetadata().getName());
        assertThat(job.getSpec().getCompletions()).isEqualTo(nodes);
        assertThat(job.getSpec().getParallelism()).isEqualTo(nodes);
        assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
        assertThat(job.getSpec().getBackoffLimit()).as("the first failed pod fails the Job: one fate").isZero();
        assertThat(job.getMetadata().getLabels()).containsEntry(TrialLabels.NODES, Integer.toString(nodes));
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry(TrialLabels.NODES, Integer.toString(nodes));

        Map<String, EnvVar> env = env(job);
        assertThat(env.get("WORLD_SIZE").getValue()).isEqualTo(Integer.toString(nodes));
        assertThat(env.get("NNODES").getValue()).isEqualTo(Integer.toString(nodes));
        assertThat(env.get("REPRISE_NNODES").getValue()).isEqualTo(Integer.toString(nodes));
        assertThat(env.get("MASTER_PORT").getValue()).isEqualTo("29500");
        assertThat(env.get("LOCAL_RANK").getValue()).isEqualTo("0");
        for (String rank : new String[] {"NODE_RANK", "RANK", "REPRISE_NODE_RANK"}) {
            assertThat(env.get(rank).getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
        }
        assertThat(env.get("REPRISE_POD_IP").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
        assertThat(env).as("rank 0's address is learnt at the rendezvous, not known when the Job is made")
                .doesNotContainKey("MASTER_ADDR");
    }

    @Test
    void rankZeroListensOn29500InItsPodAndOnAPortOfItsAttemptOnTheNodesSharedNetwork() {
        TrialLaunch l = TestLaunches.launch().nodes(2).build();
        assertThat(env(factory.desiredJob(l, Capabilities.forVersion(1, 20))).get("MASTER_PORT").getValue())
                .isEqualTo("29500");
        Job host = new TrialJobFactory(TrialJobSettings.defaults().withHostNetwork(true))
                .desiredJob(l, Capabilities.forVersion(1, 20));
        assertThat(env(host).get("MASTER_PORT").getValue())
                .isEqualTo(Integer.toString(DistributedEnv.sharedNetworkPort(l.runId(), l.attempt())));
    }

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {2, 8})
    void onA120ServerWithoutIndexedJobsTheRendezvousAssignsRanks(int nodes) {
        Job job = factory.desiredJob(TestLaunches.launch().nodes(nodes).build(), Capabilities.forVersion(1, 20));
        assertThat(job.getSpec().getCompletions()).isEqualTo(nodes);
        assertThat(job.getSpec().getParallelism()).isEqualTo(nodes);
        assertThat(job.getSpec().getCompletionMode()).as("1.20 drops it silently: never sent").isNull();
        assertThat(env(job)).containsKeys("WORLD_SIZE", "NNODES", "MASTER_PORT", "REPRISE_POD_IP")
                .doesNotContainKeys("NODE_RANK", "RANK", "REPRISE_NODE_RANK", "MASTER_ADDR");
    }

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {2, 8})
    void aDisruptedRankFailsTheWholeJobInsteadOfBeingReplacedAlone(int nodes) {
        Job job = factory.desiredJob(TestLaunches.launch().nodes(nodes).build(), Capabilities.MODERN);
        assertThat(job.getSpec().getPodFailurePolicy().getRules().get(0).getAction()).isEqualTo("FailJob");
        assertThat(job.getSpec().getPodFailurePolicy().getRules().get(0).getOnPodConditions()).singleElement()
                .satisfies(c -> assertThat(c.getType()).isEqualTo("DisruptionTarget"));
        Job one = factory.desiredJob(TestLaunches.launch().build(), Capabilities.MODERN);
        assertThat(one.getSpec().getPodFailurePolicy().getRules().get(0).getAction()).isEqualTo("Ignore");
    }

    @Test
    void kueueAdmitsTheWholeTrialAsOneWorkloadThroughTheQueueLabelOnItsOneJob() {
        TrialLaunch launch = TestLaunches.launch().nodes(4)
                .placement(new TrialLaunch.Placement(Map.of(), java.util.List.of(), null, null, "team-a")).build();
        Job job = factory.desiredJob(launch, Capabilities.MODERN);
        assertThat(job.getMetadata().getLabels()).containsEntry(TrialLabels.KUEUE_QUEUE, "team-a");
        assertThat(job.getSpec().getParallelism()).isEqualTo(4);
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
                .as("GPUs are per pod: the workload asks for 4 × 1").containsKey("nvidia.com/gpu");
    }
}
