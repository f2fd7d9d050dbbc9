package dev.reprise.orchestrator.execution.kubernetes;

import dev.reprise.orchestrator.domain.run.FailureCause;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads why a trial's pod ended, purely from its status: whether the platform took it away (preemption, eviction,
 * node shutdown: not the user's fault, requeued without using the failure budget) or it failed, and then why
 * (the user's exit code, OOMKilled, an image that cannot be pulled, the node or the platform).
 */
public final class FailureClassifier {

    /** The pod condition Kubernetes (1.26+) adds when it disrupts a pod: preemption, eviction, node loss, GC. */
    public static final String DISRUPTION_TARGET = "DisruptionTarget";

    /** {@code status.reason} of pods the platform took away. */
    static final Set<String> DISRUPTION_REASONS = Set.of(
            "Evicted", // kubelet node-pressure eviction (also Eviction API drains before 1.26 via deletion)
            "Preempting", // kubelet critical-pod preemption
            "Shutdown", "NodeShutdown", "Terminated"); // graceful node shutdown
    /** {@code status.reason} of pods the node refused or lost: the platform's fault, not a preemption. */
    static final Set<String> NODE_REASONS = Set.of("NodeLost", "UnexpectedAdmissionError", "NodeAffinity",
            "OutOfcpu", "OutOfmemory", "OutOfpods", "OutOfephemeral-storage", "OutOfnvidia.com/gpu");
    /** Waiting reasons that will never resolve by themselves. */
    static final Set<String> IMAGE_PULL_PERMANENT = Set.of("InvalidImageName", "ErrImageNeverPull");
    /** Waiting reasons that may resolve (registry hiccup) and count as failure only past the grace period. */
    static final Set<String> IMAGE_PULL_TRANSIENT = Set.of("ErrImagePull", "ImagePullBackOff", "RegistryUnavailable",
            "ErrRegistryUnavailable");
    /** The container cannot be created from the image and settings given. */
    static final Set<String> CREATE_ERRORS = Set.of("CreateContainerConfigError", "CreateContainerError");

    private FailureClassifier() {
    }

    /** How one pod ended. */
    public sealed interface PodOutcome {

        /** The platform took the pod away; the attempt is requeued without counting as a failure. */
        record Disrupted(String message) implements PodOutcome {
        }

        record Failed(FailureCause cause, Integer exitCode, String message) implements PodOutcome {
        }

        record Succeeded(int exitCode) implements PodOutcome {
        }
    }

    /** Whether the platform disrupted this pod (condition DisruptionTarget, or an eviction/shutdown reason). */
    public static boolean disrupted(Pod pod) {
        return disruptionMessage(pod).isPresent();
    }

    static Optional<String> disruptionMessage(Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        for (PodCondition c : nullToEmpty(pod.getStatus().getConditions())) {
            if (DISRUPTION_TARGET.equals(c.getType()) && "True".equals(c.getStatus())) {
                return Optional.of(join("DisruptionTarget", c.getReason(), c.getMessage()));
            }
        }
        String reason = pod.getStatus().getReason();
        if (reason != null && DISRUPTION_REASONS.contains(reason)) {
            return Optional.of(join(reason, null, pod.getStatus().getMessage()));
        }
        return Optional.empty();
    }

    /**
     * How a finished (Failed or Succeeded phase), terminating or deleted pod ended. {@code deleted} says the pod was
     * removed (or is being removed) by someone: without a DisruptionTarget condition that is not the user's fault
     * either, so the attempt is an infrastructure failure, never a user error.
     */
    public static PodOutcome classify(Pod pod, boolean deleted) {
        Optional<String> disruption = disruptionMessage(pod);
        if (disruption.isPresent()) {
            return new PodOutcome.Disrupted(disruption.get());
        }
        String podReason = pod.getStatus() == null ? null : pod.getStatus().getReason();
        String podMessage = pod.getStatus() == null ? null : pod.getStatus().getMessage();
        if (podReason != null && (NODE_REASONS.contains(podReason) || podReason.startsWith("OutOf"))) {
            return new PodOutcome.Failed(FailureCause.INFRASTRUCTURE, null, join(podReason, null, podMessage));
        }
        boolean removed = deleted || pod.getMetadata().getDeletionTimestamp() != null;
        Optional<ContainerStatus> trainer = container(pod, TrialJobFactory.TRAINER, false);
        ContainerStateTerminated t = trainer.map(ContainerStatus::getState).map(ContainerState::getTerminated)
                .orElse(null);
        if (t != null && t.getExitCode() != null) {
            int exit = t.getExitCode();
            if ("OOMKilled".equals(t.getReason())) {
                return new PodOutcome.Failed(FailureCause.OOM_KILLED, exit,
                        "OOMKilled: the training container exceeded its memory limit (exit code " + exit + ")");
            }
            if (exit == 0) {
                return new PodOutcome.Succeeded(0);
            }
            if (removed) {
                return new PodOutcome.Failed(FailureCause.INFRASTRUCTURE, exit,
                        "the pod was deleted while running (exit code " + exit + ")");
            }
            return new PodOutcome.Failed(dev.reprise.orchestrator.domain.run.AgentExitCodes.cause(exit), exit,
                    join("exit code " + exit, t.getReason() == null || "Error".equals(t.getReason()) ? null
                            : t.getReason(), t.getMessage()));
        }
        Optional<PodOutcome.Failed> waiting = waitingFailure(pod);
        if (waiting.isPresent()) {
            return waiting.get();
        }
        Optional<ContainerStatus> agent = container(pod, TrialJobFactory.AGENT_INIT, true);
        ContainerStateTerminated a = agent.map(ContainerStatus::getState).map(ContainerState::getTerminated)
                .orElse(null);
        if (a != null && a.getExitCode() != null && a.getExitCode() != 0) {
            return new PodOutcome.Failed(FailureCause.INFRASTRUCTURE, null,
                    join("the agent could not be installed (init container exit code " + a.getExitCode() + ")",
                            a.getReason(), a.getMessage()));
        }
        if (removed) {
            return new PodOutcome.Failed(FailureCause.INFRASTRUCTURE, null,
                    "the pod was deleted before the training container finished");
        }
        if (podReason != null || podMessage != null) {
            return new PodOutcome.Failed(FailureCause.INFRASTRUCTURE, null, join("pod failed", podReason, podMessage));
        }
        return new PodOutcome.Failed(FailureCause.INFRASTRUCTURE, null,
                "the pod failed without a terminated training container");
    }

    /**
     * A pod stuck before its containers can run: an image that cannot be pulled (training or agent image), or a
     * container that cannot be created. Permanent reasons count at once; transient ones only when the pod has been
     * waiting longer than {@code grace} (they also resolve on their own when a registry comes back).
     */
    public static Optional<PodOutcome.Failed> stuck(Pod pod, Instant now, Duration grace) {
        Optional<PodOutcome.Failed> failure = waitingFailure(pod);
        if (failure.isEmpty()) {
            return Optional.empty();
        }
        if (permanentlyWaiting(pod)) {
            return failure;
        }
        Instant since = since(pod);
        if (since != null && Duration.between(since, now).compareTo(grace) >= 0) {
            return failure;
        }
        return Optional.empty();
    }

    private static boolean permanentlyWaiting(Pod pod) {
        return allContainers(pod).stream()
                .map(FailureClassifier::waitingReason)
                .anyMatch(r -> r != null && IMAGE_PULL_PERMANENT.contains(r));
    }

    private static Optional<PodOutcome.Failed> waitingFailure(Pod pod) {
        for (ContainerStatus s : allContainers(pod)) {
            String reason = waitingReason(s);
            if (reason == null) {
                continue;
            }
            ContainerStateWaiting w = s.getState().getWaiting();
            boolean agent = TrialJobFactory.AGENT_INIT.equals(s.getName());
            String what = agent ? "agent image" : "image";
            String image = s.getImage();
            if (IMAGE_PULL_PERMANENT.contains(reason) || IMAGE_PULL_TRANSIENT.contains(reason)) {
                return Optional.of(new PodOutcome.Failed(FailureCause.IMAGE_PULL, null,
                        join("the " + what + (image == null ? "" : " " + image) + " cannot be pulled", reason,
                                w.getMessage())));
            }
            if (CREATE_ERRORS.contains(reason)) {
                return Optional.of(new PodOutcome.Failed(agent ? FailureCause.INFRASTRUCTURE : FailureCause.USER_ERROR,
                        null, join("the " + (agent ? "agent" : "training") + " container cannot be created", reason,
                                w.getMessage())));
            }
        }
        return Optional.empty();
    }

    /** The digest the node actually ran, from {@code imageID} ("docker-pullable://repo@sha256:..." etc.). */
    public static String imageDigest(ContainerStatus status) {
        if (status == null || status.getImageID() == null || status.getImageID().isEmpty()) {
            return null;
        }
        String id = status.getImageID();
        int scheme = id.indexOf("://");
        return scheme >= 0 ? id.substring(scheme + 3) : id;
    }

    /** The status of a container by name ({@code init} = among init containers). */
    public static Optional<ContainerStatus> container(Pod pod, String name, boolean init) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        List<ContainerStatus> statuses = init ? pod.getStatus().getInitContainerStatuses()
                : pod.getStatus().getContainerStatuses();
        return nullToEmpty(statuses).stream().filter(s -> name.equals(s.getName())).findFirst();
    }

    /** Parses the exit code out of a Job condition message ("... failed with exit code 3 matching FailJob rule ..."). */
    static Integer exitCodeIn(String message) {
        if (message == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("exit code (\\d+)").matcher(message);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    static Instant since(Pod pod) {
        if (pod.getStatus() != null && pod.getStatus().getStartTime() != null) {
            return Times.parse(pod.getStatus().getStartTime());
        }
        return Times.parse(pod.getMetadata().getCreationTimestamp());
    }

    private static List<ContainerStatus> allContainers(Pod pod) {
        if (pod.getStatus() == null) {
            return List.of();
        }
        List<ContainerStatus> all = new java.util.ArrayList<>(nullToEmpty(pod.getStatus().getInitContainerStatuses()));
        all.addAll(nullToEmpty(pod.getStatus().getContainerStatuses()));
        return all;
    }

    private static String waitingReason(ContainerStatus s) {
        return s.getState() == null || s.getState().getWaiting() == null ? null : s.getState().getWaiting().getReason();
    }

    private static String join(String head, String reason, String message) {
        StringBuilder b = new StringBuilder(head);
        if (reason != null && !reason.isEmpty() && !reason.equals(head)) {
            b.append(" (").append(reason).append(')');
        }
        if (message != null && !message.isBlank()) {
            b.append(": ").append(message.strip());
        }
        return b.toString();
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
