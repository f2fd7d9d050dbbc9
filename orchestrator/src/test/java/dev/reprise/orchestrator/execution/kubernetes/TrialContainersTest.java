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
 * What runs in a trial pod: the agent init container, the training container, volumes, environment, secrets and the
 * ConfigMap.
 */
class TrialContainersTest {

    private final TrialJobFactory factory = new TrialJobFactory(TrialJobSettings.defaults());
    private final TrialLaunch launch = TestLaunches.launch().build();

    private Job job() {
        return factory.desiredJob(launch, Capabilities.MODERN);
    }

    private static List<Container> allContainers(PodSpec spec) {
        return Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream()).toList();
    }

    @Test
    void anInitContainerCopiesTheAgentIntoASharedEmptyDir() {
        PodSpec pod = job().getSpec().getTemplate().getSpec();
        Container init = pod.getInitContainers().get(0);
        assertThat(init.getName()).isEqualTo("reprise-agent");
        assertThat(init.getImage()).isEqualTo(TrialJobSettings.DEFAULT_AGENT_IMAGE);
        assertThat(init.getCommand()).containsExactly("cp", "-R", "/opt/reprise-agent/.", "/reprise/agent/");
        assertThat(init.getVolumeMounts()).singleElement().satisfies(m -> {
            assertThat(m.getName()).isEqualTo("reprise-agent");
            assertThat(m.getMountPath()).isEqualTo("/reprise/agent");
        });
        assertThat(init.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        Volume agent = pod.getVolumes().stream().filter(v -> v.getName().equals("reprise-agent")).findFirst()
                .orElseThrow();
        assertThat(agent.getEmptyDir()).isNotNull();
    }

    @Test
    void theTrainingContainerRunsTheUsersImageWithTheAgentWrappingTheCommand() {
        Container trainer = job().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(trainer.getName()).isEqualTo("trainer");
        assertThat(trainer.getImage()).isEqualTo("registry.example.com/team/train:1.2");
        assertThat(trainer.getCommand()).containsExactly("/reprise/agent/bin/reprise-agent", "run", "--run-id", "1001",
                "--attempt", "0", "--", "python", "train.py", "--lr", "0.01");
        assertThat(trainer.getArgs()).isNullOrEmpty();
        assertThat(trainer.getVolumeMounts()).extracting(m -> m.getMountPath() + (Boolean.TRUE.equals(m.getReadOnly()) ? " ro" : ""))
                .containsExactly("/reprise/agent ro", "/reprise/config ro", "/reprise/output",
                        "/reprise/checkpoints");
    }

    @Test
    void aRunWithASnapshotGetsAWritableEmptyDirAtTheSweepsMountPathAndEveryRunOneForItsOutput() {
        TrialLaunch withData = TestLaunches.launch().env(Map.of("REPRISE_RUN_ID", "1001",
                "REPRISE_DATA_URL", "http://reprise:8080/api/v1/snapshots/sha256:" + "a".repeat(64) + "/download",
                "REPRISE_DATA_DIR", "/datasets/digits", "REPRISE_DATA_SNAPSHOT", "sha256:" + "a".repeat(64))).build();
        PodSpec pod = factory.desiredJob(withData, Capabilities.MODERN).getSpec().getTemplate().getSpec();
        Container trainer = pod.getContainers().get(0);

        assertThat(trainer.getVolumeMounts()).extracting(m -> m.getName() + " " + m.getMountPath()
                + (Boolean.TRUE.equals(m.getReadOnly()) ? " ro" : "")).containsExactly(
                "reprise-agent /reprise/agent ro", "reprise-config /reprise/config ro",
                "reprise-output /reprise/output", "reprise-checkpoints /reprise/checkpoints",
                "reprise-data /datasets/digits");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("reprise-data")
                || v.getName().equals("reprise-output") || v.getName().equals("reprise-checkpoints")).hasSize(3)
                .allSatisfy(v -> {
                    assertThat(v.getEmptyDir()).isNotNull();
                    assertThat(v.getHostPath()).isNull();
                });
        assertThat(trainer.getEnv()).filteredOn(e -> e.getName().equals("REPRISE_OUTPUT_DIR"))
                .singleElement().satisfies(e -> assertThat(e.getValue()).isEqualTo("/reprise/output"));
        // checkpoints outlive the pod through the agent (docs/checkpoints.md); in the pod they are an emptyDir
        assertThat(trainer.getEnv()).filteredOn(e -> e.getName().equals("REPRISE_CHECKPOINT_DIR"))
                .singleElement().satisfies(e -> assertThat(e.getValue()).isEqualTo("/reprise/checkpoints"));
        // the restricted profile still holds with the extra volumes
        assertThat(trainer.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(trainer.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    }

    @Test
    void aSecretTheSweepReferencesBecomesASecretKeyRefAndItsValueNeverPassesThroughTheJob() {
        TrialLaunch l = TestLaunches.launch().secretEnv(Map.of("HF_TOKEN",
                new dev.reprise.orchestrator.domain.spec.SecretRef("hf-token", "token"))).build();
        Job job = factory.desiredJob(l, Capabilities.MODERN);

        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .filteredOn(e -> e.getName().equals("HF_TOKEN")).singleElement().satisfies(e -> {
                    assertThat(e.getValue()).isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hf-token");
                    assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
                    assertThat(e.getValueFrom().getSecretKeyRef().getOptional()).isFalse();
                });
    }

    @Test
    void aRunWithoutASnapshotGetsNoDataVolume() {
        PodSpec pod = job().getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).extracting(Volume::getName)
                .containsExactly("reprise-agent", "reprise-config", "reprise-output", "reprise-checkpoints");
    }

    @Test
    void envHasTheLaunchsVariablesSortedPlusRepriseDefaultsThatDoNotOverrideThem() {
        TrialLaunch l = TestLaunches.launch().env(Map.of("ZZZ", "last", "AAA", "first", "REPRISE_ATTEMPT", "9")).build();
        List<EnvVar> env = factory.desiredJob(l, Capabilities.MODERN).getSpec().getTemplate().getSpec().getContainers()
                .get(0).getEnv();
        assertThat(env).extracting(EnvVar::getName).containsExactly("AAA", "REPRISE_ATTEMPT", "REPRISE_CHECKPOINT_DIR",
                "REPRISE_CONFIG_FILE", "REPRISE_NODE_NAME", "REPRISE_OUTPUT_DIR", "REPRISE_POD_NAME", "REPRISE_RUN_ID", "ZZZ");
        Map<String, EnvVar> byName = new HashMap<>();
        env.forEach(e -> byName.put(e.getName(), e));
        assertThat(byName.get("REPRISE_ATTEMPT").getValue()).isEqualTo("9");
        assertThat(byName.get("REPRISE_RUN_ID").getValue()).isEqualTo("1001");
        assertThat(byName.get("REPRISE_CONFIG_FILE").getValue()).isEqualTo("/reprise/config/config.json");
        assertThat(byName.get("REPRISE_NODE_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    }

    @Test
    void configMapHoldsTheRunsExactResolvedConfigAndIsMountedReadOnly() {
        ConfigMap cm = factory.desiredConfigMap(launch);
        assertThat(cm.getMetadata().getName()).isEqualTo("lr-search-42-7-0-00000000");
        assertThat(cm.getData()).containsExactly(Map.entry("config.json", "{\"lr\":0.01,\"batch_size\":64}"));
        assertThat(cm.getImmutable()).isTrue();
        assertThat(cm.getMetadata().getAnnotations()).containsEntry("reprise.dev/config-hash", "3f1c0ffee");
        Volume v = job().getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(x -> x.getName().equals("reprise-config")).findFirst().orElseThrow();
        assertThat(v.getConfigMap().getName()).isEqualTo("lr-search-42-7-0-00000000");
        assertThat(v.getConfigMap().getItems()).singleElement().satisfies(i -> {
            assertThat(i.getKey()).isEqualTo("config.json");
            assertThat(i.getPath()).isEqualTo("config.json");
        });
    }

    @Test
    void configMapIsOwnedByItsJobSoGarbageCollectionRemovesBoth() {
        Job created = new JobBuilder(job()).editMetadata().withUid("uid-123").endMetadata().build();
        ConfigMap owned = TrialJobFactory.ownedBy(factory.desiredConfigMap(launch), created);
        assertThat(owned.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getApiVersion()).isEqualTo("batch/v1");
            assertThat(o.getKind()).isEqualTo("Job");
            assertThat(o.getName()).isEqualTo("lr-search-42-7-0-00000000");
            assertThat(o.getUid()).isEqualTo("uid-123");
            assertThat(o.getBlockOwnerDeletion()).isFalse();
        });
        assertThat(factory.desiredConfigMap(launch).getMetadata().getOwnerReferences()).isNullOrEmpty();
    }

    @Test
    void theSameLaunchAlwaysGivesByteIdenticalObjects() {
        String a = Serialization.asYaml(factory.desiredJob(launch, Capabilities.MODERN));
        TrialLaunch copy = TestLaunches.launch().env(new HashMap<>(launch.env())).build();
        String b = Serialization.asYaml(new TrialJobFactory(TrialJobSettings.defaults()).desiredJob(copy,
                Capabilities.MODERN));
        assertThat(a).isEqualTo(b);
        assertThat(Serialization.asYaml(factory.desiredConfigMap(launch)))
                .isEqualTo(Serialization.asYaml(factory.desiredConfigMap(copy)));
    }

    @Test
    void aCustomAgentImageIsUsedForTheInitContainer() {
        TrialJobFactory f = new TrialJobFactory(TrialJobSettings.defaults().withAgentImage("my.registry/agent:9"));
        assertThat(f.desiredJob(launch, Capabilities.MODERN).getSpec().getTemplate().getSpec().getInitContainers()
                .get(0).getImage()).isEqualTo("my.registry/agent:9");
    }

    @Test
    void theAgentsKafkaCredentialComesFromItsSecretAndNoKafkaPasswordIsWrittenIntoTheJob() {
        TrialLaunch withCredential = TestLaunches.launch().env(Map.of("REPRISE_RUN_ID", "1001",
                "REPRISE_KAFKA_USERNAME", "inline-user", "REPRISE_KAFKA_PASSWORD", "inline-password")).build();
        Job j = new TrialJobFactory(TrialJobSettings.defaults().withAgentKafkaSecret("reprise-kafka-agent"))
                .desiredJob(withCredential, Capabilities.MODERN);

        List<io.fabric8.kubernetes.api.model.EnvVar> env = j.getSpec().getTemplate().getSpec().getContainers().get(0)
                .getEnv();
        assertThat(env).filteredOn(e -> e.getName().startsWith("REPRISE_KAFKA_")).extracting(
                io.fabric8.kubernetes.api.model.EnvVar::getName, e -> e.getValueFrom().getSecretKeyRef().getName(),
                e -> e.getValueFrom().getSecretKeyRef().getKey())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("REPRISE_KAFKA_PASSWORD", "reprise-kafka-agent", "password"),
                        org.assertj.core.groups.Tuple.tuple("REPRISE_KAFKA_USERNAME", "reprise-kafka-agent", "username"));
        assertThat(io.fabric8.kubernetes.client.utils.Serialization.asYaml(j)).doesNotContain("inline-password")
                .doesNotContain("inline-user");
    }

    @Test
    void aLaunchThatWouldWriteAKafkaPasswordIntoTheJobIsRefusedWithoutTheAgentsSecret() {
        TrialLaunch withPassword = TestLaunches.launch().env(Map.of("REPRISE_RUN_ID", "1001",
                "REPRISE_KAFKA_USERNAME", "reprise-agent", "REPRISE_KAFKA_PASSWORD", "inline-password")).build();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> factory.desiredJob(withPassword, Capabilities.MODERN))
                .hasMessageContaining("reprise.kubernetes.agent-kafka-secret").hasMessageNotContaining("inline-password");
    }
}
