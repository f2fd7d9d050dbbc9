package dev.reprise.orchestrator.execution.kubernetes;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether a Job is held back on purpose, and since when it may run: the start deadline of a distributed attempt
 * (ADR 0008) counts only the time its pods could have started. A queueing system such as Kueue creates or keeps a
 * Job suspended ({@code spec.suspend: true}) while its Workload waits for quota, and resumes it on admission; the Job
 * controller (1.21+, where the field exists) records both as the Job's {@code Suspended} condition: {@code True}
 * while suspended, {@code False} (reason {@code JobResumed}) from the resumption, its {@code lastTransitionTime} the
 * moment of the latest change.
 *
 * <p>A Job counts as held while either says so: its spec asks for suspension, or the controller has not yet
 * acknowledged a resumption (the condition is still {@code True}; without this, the moment between Kueue's admission
 * and the controller's update would count the whole wait). Once resumed, the clock starts at the resumption, never
 * before the launch. A server without {@code spec.suspend} (1.20 drops the field) never suspends a Job: its clock
 * is the launch, as before.
 */
final class JobAdmission {

    /** The Job condition type the Job controller (1.21+) keeps for suspension. */
    static final String SUSPENDED = "Suspended";

    private JobAdmission() {
    }

    /** The Job is held back: suspended by its spec, or not yet seen resumed by the Job controller. */
    static boolean held(Job job) {
        if (job.getSpec() != null && Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            return true;
        }
        return suspendedCondition(job).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /** When the Job was last resumed, where the Job controller recorded it. */
    static Optional<Instant> resumedAt(Job job) {
        return suspendedCondition(job).filter(c -> "False".equals(c.getStatus()))
                .map(c -> Times.parse(c.getLastTransitionTime()));
    }

    /**
     * From when the start deadline of the Job's attempt counts: empty while the Job is held, else its latest
     * resumption or, where it never was suspended, {@code launchedAt}.
     */
    static Optional<Instant> startDeadlineClock(Job job, Instant launchedAt) {
        if (held(job)) {
            return Optional.empty();
        }
        return Optional.of(resumedAt(job).filter(r -> launchedAt == null || r.isAfter(launchedAt))
                .orElse(launchedAt));
    }

    private static Optional<JobCondition> suspendedCondition(Job job) {
        List<JobCondition> conditions = job.getStatus() == null ? null : job.getStatus().getConditions();
        if (conditions == null) {
            return Optional.empty();
        }
        return conditions.stream().filter(c -> SUSPENDED.equals(c.getType())).findFirst();
    }
}
