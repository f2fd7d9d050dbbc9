package dev.reprise.orchestrator.execution.kubernetes;

import dev.reprise.orchestrator.domain.run.FailureCause;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides, purely, what one attempt's Job and pods say about the trial. The Job controller's verdict (the Job's
 * Complete or Failed condition) decides success and failure; pods only tell why, where and with which image.
 * Three cases are decided here because no Job condition will ever come: a pod stuck on an image it cannot pull or a
 * container it cannot create, and, on servers without podFailurePolicy, a pod the platform took away (the old Job
 * controller either fails the Job for it or silently starts a replacement pod).
 */
public final class TrialAssessor {

    private TrialAssessor() {
    }

    /** Where the training container runs or ran: node and the image digest the node actually pulled. */
    public record RunningInfo(String podUid, String nodeName, String imageDigest, Instant startedAt) {
    }

    /** How the attempt ended. */
    public sealed interface Outcome {

        Instant at();

        record Succeeded(Instant at, Integer exitCode) implements Outcome {
        }

        record Failed(Instant at, FailureCause cause, Integer exitCode, String message) implements Outcome {
        }

        record Preempted(Instant at, String message) implements Outcome {
        }
    }

    /**
     * What to report. {@code deleteJob}: the executor decided the outcome itself (no Job condition will follow) and
     * must delete the Job so that nothing of this attempt keeps running or comes back.
     */
    public record Assessment(Optional<RunningInfo> running, Optional<Outcome> outcome, boolean deleteJob) {

        static final Assessment NOTHING = new Assessment(Optional.empty(), Optional.empty(), false);
    }

    /** A pod as last seen, with whether it has since been deleted. */
    public record PodView(Pod pod, boolean deleted) {

        boolean removed() {
            return deleted || pod.getMetadata().getDeletionTimestamp() != null;
        }

        String phase() {
            return pod.getStatus() == null ? null : pod.getStatus().getPhase();
        }

        Instant created() {
            return Times.parseOr(pod.getMetadata().getCreationTimestamp(), Instant.EPOCH);
        }
    }

    /**
     * @param job   the attempt's Job as last seen, or null when only pods were seen so far
     * @param pods  every pod of the attempt seen so far, deleted ones included, in the order they were seen
     * @param grace how long an image pull or container creation may fail before the attempt counts as failed
     */
    public static Assessment assess(Job job, List<PodView> pods, Capabilities capabilities, Instant now,
            Duration grace) {
        // live pods before deleted ones, then newest first; ties (timestamps have one-second resolution) go to the
        // pod seen last
        List<PodView> newestFirst = new ArrayList<>(pods);
        java.util.Collections.reverse(newestFirst);
        newestFirst.sort(Comparator.comparing(PodView::removed).thenComparing(PodView::created,
                Comparator.reverseOrder()));
        Optional<RunningInfo> running = runningInfo(newestFirst);

        JobCondition complete = condition(job, "Complete");
        if (complete != null) {
            Integer exit = newestFirst.stream()
                    .map(p -> trainerTerminatedExitCode(p.pod()))
                    .filter(c -> c != null && c == 0)
                    .findFirst().orElse(0);
            Instant at = job.getStatus().getCompletionTime() != null
                    ? Times.parseOr(job.getStatus().getCompletionTime(), now)
                    : Times.parseOr(complete.getLastTransitionTime(), now);
            return new Assessment(running, Optional.of(new Outcome.Succeeded(at, exit)), false);
        }
        JobCondition failed = condition(job, "Failed");
        if (failed != null) {
            Instant at = Times.parseOr(failed.getLastTransitionTime(), now);
            return new Assessment(running, Optional.of(jobFailure(failed, newestFirst, at)), false);
        }
        // The Job's time limit passed: its controller is stopping the pods (a deleted pod is then no preemption)
        // and will fail the Job with DeadlineExceeded; decided here too, so that neither order of the events matters
        Optional<Instant> deadline = deadline(job);
        if (deadline.isPresent() && !now.isBefore(deadline.get())) {
            return new Assessment(running, Optional.of(new Outcome.Failed(deadline.get(), FailureCause.TIME_LIMIT,
                    null, timeLimitMessage(job, null))), true);
        }

        // No verdict from the Job controller (yet): the cases where none will ever come.
        for (PodView p : newestFirst) {
            if (p.removed() || isFinished(p)) {
                continue;
            }
            Optional<FailureClassifier.PodOutcome.Failed> stuck = FailureClassifier.stuck(p.pod(), now, grace);
            if (stuck.isPresent()) {
                FailureClassifier.PodOutcome.Failed f = stuck.get();
                return new Assessment(running,
                        Optional.of(new Outcome.Failed(now, f.cause(), f.exitCode(), f.message())), true);
            }
        }
        if (!capabilities.podFailurePolicy()) {
            for (PodView p : newestFirst) {
                Optional<String> disruption = legacyDisruption(p);
                if (disruption.isPresent()) {
                    return new Assessment(running, Optional.of(new Outcome.Preempted(now, disruption.get())), true);
                }
            }
        }
        // With podFailurePolicy, a disrupted pod is ignored by the Job controller, which starts a replacement:
        // the attempt goes on, nothing to report.
        return new Assessment(running, Optional.empty(), false);
    }

    /** Whether the pods the cache holds cannot explain a Job failure yet (so fresh ones should be read). */
    public static boolean needsFreshPods(Job job, List<PodView> pods) {
        if (condition(job, "Failed") == null && condition(job, "Complete") == null) {
            return false;
        }
        return pods.stream().noneMatch(p -> p.removed() || isFinished(p));
    }

    private static Outcome jobFailure(JobCondition failed, List<PodView> newestFirst, Instant at) {
        if (DEADLINE_EXCEEDED.equals(failed.getReason())) {
            return new Outcome.Failed(at, FailureCause.TIME_LIMIT, null, timeLimitMessage(null, failed));
        }
        Optional<PodView> failedPod = newestFirst.stream()
                .filter(p -> "Failed".equals(p.phase()) || p.removed() || trainerFailed(p.pod()))
                .findFirst();
        if (failedPod.isPresent()) {
            FailureClassifier.PodOutcome o = FailureClassifier.classify(failedPod.get().pod(), failedPod.get().removed());
            if (o instanceof FailureClassifier.PodOutcome.Disrupted d) {
                return new Outcome.Preempted(at, d.message());
            }
            if (o instanceof FailureClassifier.PodOutcome.Failed f) {
                return new Outcome.Failed(at, f.cause(), f.exitCode(), f.message());
            }
            // the pod says success but the Job controller says failure: trust the Job, blame the platform
            return new Outcome.Failed(at, FailureCause.INFRASTRUCTURE, null, jobMessage(failed));
        }
        if ("PodFailurePolicy".equals(failed.getReason())) {
            Integer exit = FailureClassifier.exitCodeIn(failed.getMessage());
            return new Outcome.Failed(at, FailureCause.USER_ERROR, exit, jobMessage(failed));
        }
        return new Outcome.Failed(at, FailureCause.INFRASTRUCTURE, null, jobMessage(failed));
    }

    /**
     * Before podFailurePolicy, a preempted pod is deleted (the Job controller then quietly starts another one) and an
     * evicted pod fails with reason Evicted (failing the Job): both are the platform's doing.
     */
    private static Optional<String> legacyDisruption(PodView p) {
        Optional<String> message = FailureClassifier.disruptionMessage(p.pod());
        if (message.isPresent()) {
            return message;
        }
        if (p.removed() && !"Succeeded".equals(p.phase()) && !trainerFailed(p.pod())) {
            return Optional.of("the pod was deleted (preempted, evicted or drained) before the training container"
                    + " finished");
        }
        return Optional.empty();
    }

    private static Optional<RunningInfo> runningInfo(List<PodView> newestFirst) {
        for (PodView p : newestFirst) {
            Pod pod = p.pod();
            Optional<ContainerStatus> trainer = FailureClassifier.container(pod, TrialJobFactory.TRAINER, false);
            ContainerState state = trainer.map(ContainerStatus::getState).orElse(null);
            Instant started = null;
            if (state != null && state.getRunning() != null) {
                started = Times.parse(state.getRunning().getStartedAt());
            } else if (state != null && state.getTerminated() != null) {
                started = Times.parse(state.getTerminated().getStartedAt());
            } else if (!"Running".equals(p.phase())) {
                continue;
            }
            if (started == null && pod.getStatus() != null) {
                started = Times.parse(pod.getStatus().getStartTime());
            }
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            return Optional.of(new RunningInfo(pod.getMetadata().getUid(), node,
                    FailureClassifier.imageDigest(trainer.orElse(null)), started));
        }
        return Optional.empty();
    }

    private static boolean isFinished(PodView p) {
        return "Succeeded".equals(p.phase()) || "Failed".equals(p.phase());
    }

    private static boolean trainerFailed(Pod pod) {
        Integer exit = trainerTerminatedExitCode(pod);
        return exit != null && exit != 0;
    }

    private static Integer trainerTerminatedExitCode(Pod pod) {
        return FailureClassifier.container(pod, TrialJobFactory.TRAINER, false)
                .map(ContainerStatus::getState)
                .map(ContainerState::getTerminated)
                .map(t -> t.getExitCode())
                .orElse(null);
    }

    /** The reason of the Job's Failed condition once it ran longer than its {@code activeDeadlineSeconds}. */
    static final String DEADLINE_EXCEEDED = "DeadlineExceeded";

    /** When the Job's time limit ends: its start plus {@code activeDeadlineSeconds}, if it has both. */
    static Optional<Instant> deadline(Job job) {
        if (job == null || job.getSpec() == null || job.getSpec().getActiveDeadlineSeconds() == null
                || job.getStatus() == null || job.getStatus().getStartTime() == null) {
            return Optional.empty();
        }
        Instant start = Times.parse(job.getStatus().getStartTime());
        return start == null ? Optional.empty()
                : Optional.of(start.plusSeconds(job.getSpec().getActiveDeadlineSeconds()));
    }

    private static String timeLimitMessage(Job job, JobCondition failed) {
        String head = "the trial ran longer than its time limit (resources.timeLimit";
        Long seconds = job == null || job.getSpec() == null ? null : job.getSpec().getActiveDeadlineSeconds();
        head += seconds == null ? ")" : ": " + seconds + " s)";
        head += " and was stopped";
        return failed == null || failed.getMessage() == null || failed.getMessage().isBlank() ? head
                : head + " (" + DEADLINE_EXCEEDED + "): " + failed.getMessage();
    }

    static JobCondition condition(Job job, String type) {
        if (job == null || job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst().orElse(null);
    }

    private static String jobMessage(JobCondition c) {
        String reason = c.getReason() == null ? "Failed" : c.getReason();
        return c.getMessage() == null || c.getMessage().isBlank() ? "Job failed (" + reason + ")"
                : "Job failed (" + reason + "): " + c.getMessage();
    }
}
