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
    void exitCodeZeroIsNeverAFailFastCodeAndCodesAreSortedOnce() {
        TrialJobSettings s = new TrialJobSettings("agent:1", "Always", null,
                new java.util.TreeSet<>(List.of(127, 0, 3, 3, 1)), 1000L, 1000L, null, 30, "nvidia.com/gpu", "gpu",
                false);
        Job j = new TrialJobFactory(s).desiredJob(launch, Capabilities.MODERN);
        assertThat(j.getSpec().getPodFailurePolicy().getRules().get(1).getOnExitCodes().getValues())
                .containsExactly(1, 3, 127);
        assertThat(j.getSpec().getTtlSecondsAfterFinished()).isNull();
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
                || v.getName().equals("reprise-output") || v.getName().equals("reprise-checkpoints")).hasSize(3).allSatisfy(v -> {
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
