package dev.reprise.orchestrator.execution.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.List;

/** Pod statuses as a kubelet would write them (there is no kubelet in these tests). */
final class PodStatuses {

    static final String IMAGE = "registry.example.com/team/train:1.2";
    static final String DIGEST = "registry.example.com/team/train@sha256:" + "ab".repeat(32);
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private PodStatuses() {
    }

    /** A pod of an attempt, as the Job controller would create it (labels from the template). */
    static Pod pod(AttemptKey key, String uid, Instant created) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("pod-" + key.runId() + "-" + key.attempt() + "-" + uid)
                .withUid(uid)
                .withCreationTimestamp(created.toString())
                .addToLabels(TrialLabels.MANAGED_BY, TrialLabels.REPRISE)
                .addToLabels(TrialLabels.RUN, Long.toString(key.runId()))
                .addToLabels(TrialLabels.ATTEMPT, Integer.toString(key.attempt()))
                .addToLabels(TrialLabels.SWEEP_ID, "42")
                .endMetadata()
                .withNewSpec().addNewContainer().withName("trainer").withImage(IMAGE).endContainer()
                .withRestartPolicy("Never").endSpec()
                .build();
    }

    static Pod with(Pod pod, PodStatus status) {
        return new PodBuilder(pod).withStatus(status).build();
    }

    static Pod onNode(Pod pod, String node) {
        return new PodBuilder(pod).editSpec().withNodeName(node).endSpec().build();
    }

    static Pod deleting(Pod pod) {
        return new PodBuilder(pod).editMetadata().withDeletionTimestamp(T0.plusSeconds(90).toString())
                .endMetadata().build();
    }

    static PodStatus pending() {
        return new PodStatusBuilder().withPhase("Pending").build();
    }

    static PodStatus running(Instant startedAt) {
        return new PodStatusBuilder().withPhase("Running").withStartTime(startedAt.toString())
                .withInitContainerStatuses(agentDone())
                .withContainerStatuses(new ContainerStatusBuilder().withName("trainer").withImage(IMAGE)
                        .withImageID("docker-pullable://" + DIGEST).withReady(true).withRestartCount(0)
                        .withNewState().withNewRunning().withStartedAt(startedAt.toString()).endRunning().endState()
                        .build())
                .build();
    }

    static PodStatus terminated(String phase, int exitCode, String reason, Instant startedAt, Instant finishedAt) {
        return new PodStatusBuilder().withPhase(phase).withStartTime(startedAt.toString())
                .withInitContainerStatuses(agentDone())
                .withContainerStatuses(new ContainerStatusBuilder().withName("trainer").withImage(IMAGE)
                        .withImageID("docker-pullable://" + DIGEST).withReady(false).withRestartCount(0)
                        .withNewState().withNewTerminated().withExitCode(exitCode).withReason(reason)
                        .withStartedAt(startedAt.toString()).withFinishedAt(finishedAt.toString())
                        .endTerminated().endState()
                        .build())
                .build();
    }

    static PodStatus succeeded(Instant startedAt, Instant finishedAt) {
        return terminated("Succeeded", 0, "Completed", startedAt, finishedAt);
    }

    static PodStatus failed(int exitCode, Instant startedAt, Instant finishedAt) {
        return terminated("Failed", exitCode, "Error", startedAt, finishedAt);
    }

    static PodStatus oomKilled(Instant startedAt, Instant finishedAt) {
        return terminated("Failed", 137, "OOMKilled", startedAt, finishedAt);
    }

    /** Node-pressure eviction by the kubelet (every version). */
    static PodStatus evicted(Instant startedAt) {
        return new PodStatusBuilder().withPhase("Failed").withReason("Evicted").withStartTime(startedAt.toString())
                .withMessage("The node was low on resource: memory.").build();
    }

    /** Preemption on 1.26+: the scheduler marks the victim before deleting it. */
    static PodStatus disrupted(Instant startedAt, Instant at) {
        PodStatus s = terminated("Failed", 143, "Error", startedAt, at);
        s.setConditions(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("DisruptionTarget")
                .withStatus("True").withReason("PreemptionByScheduler")
                .withMessage("default-scheduler: preempting to accommodate a higher priority pod")
                .withLastTransitionTime(at.toString()).build()));
        return s;
    }

    static PodStatus waiting(String container, String reason, String message, Instant startedAt) {
        ContainerStatus status = new ContainerStatusBuilder().withName(container)
                .withImage(container.equals("trainer") ? IMAGE : TrialJobSettings.DEFAULT_AGENT_IMAGE)
                .withImageID("").withReady(false).withRestartCount(0)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                .build();
        PodStatusBuilder b = new PodStatusBuilder().withPhase("Pending").withStartTime(startedAt.toString());
        if (container.equals("trainer")) {
            b.withInitContainerStatuses(agentDone()).withContainerStatuses(status);
        } else {
            b.withInitContainerStatuses(status);
        }
        return b.build();
    }

    static PodStatus agentFailed(int exitCode, Instant startedAt) {
        return new PodStatusBuilder().withPhase("Failed").withStartTime(startedAt.toString())
                .withInitContainerStatuses(new ContainerStatusBuilder().withName("reprise-agent")
                        .withImage(TrialJobSettings.DEFAULT_AGENT_IMAGE).withReady(false).withRestartCount(0)
                        .withNewState().withNewTerminated().withExitCode(exitCode).withReason("Error")
                        .withMessage("cp: cannot create directory").endTerminated().endState().build())
                .build();
    }

    static PodStatus nodeLost(Instant startedAt) {
        return new PodStatusBuilder().withPhase("Failed").withReason("NodeLost").withStartTime(startedAt.toString())
                .withMessage("Node worker-3 which was running pod is unresponsive").build();
    }

    private static ContainerStatus agentDone() {
        return new ContainerStatusBuilder().withName("reprise-agent").withImage(TrialJobSettings.DEFAULT_AGENT_IMAGE)
                .withReady(false).withRestartCount(0)
                .withNewState().withNewTerminated().withExitCode(0).withReason("Completed").endTerminated().endState()
                .build();
    }
}
