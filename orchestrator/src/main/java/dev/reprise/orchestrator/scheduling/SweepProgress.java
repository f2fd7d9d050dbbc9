package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.domain.spec.Method;
import dev.reprise.orchestrator.domain.run.FailureCause;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.run.SweepStatus;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.SweepRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Derives a sweep's status from its runs, inside the caller's transaction: RUNNING once a trial started, FAILED as
 * soon as more trials failed by the user's fault than max_failed_trials allows (the rest are cancelled); once every
 * run ended, SUCCEEDED if at least one run succeeded, FAILED otherwise.
 */
@ApplicationScoped
public class SweepProgress {

    private final SweepRepository sweeps;
    private final RunRepository runs;
    private final Executors executors;
    private final AfterCommit afterCommit;
    private final WebhookEvents events;

    public SweepProgress(SweepRepository sweeps, RunRepository runs, Executors executors, AfterCommit afterCommit,
            WebhookEvents events) {
        this.sweeps = sweeps;
        this.runs = runs;
        this.executors = executors;
        this.afterCommit = afterCommit;
        this.events = events;
    }

    /** Locks the sweep row for the rest of the transaction (the first lock of {@link RunRepository#LOCK_ORDER}). */
    public void lock(long sweepId) {
        sweeps.findById(sweepId, LockModeType.PESSIMISTIC_WRITE);
    }

    public void refresh(long sweepId) {
        SweepEntity sweep = sweeps.findById(sweepId, LockModeType.PESSIMISTIC_WRITE);
        if (sweep == null || sweep.status.terminal()) {
            return;
        }
        Map<RunState, Long> counts = runs.countsByState(List.of(sweepId)).getOrDefault(sweepId, Map.of());
        Instant now = Instant.now();
        if (sweep.maxFailedTrials != null && runs.countFailed(sweepId, budgetCauses()) > sweep.maxFailedTrials) {
            runs.cancelActive(sweepId, now);
            end(sweep, SweepStatus.FAILED, now);
            events.sweepEnded(sweep, runs.countsByState(List.of(sweepId)).getOrDefault(sweepId, Map.of()));
            afterCommit.run("stopping the trials of failed sweep " + sweepId,
                    () -> executors.active().ifPresent(e -> e.stopSweep(sweepId)));
            return;
        }
        long active = counts.entrySet().stream().filter(e -> !e.getKey().terminal()).mapToLong(Map.Entry::getValue)
                .sum();
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        boolean moreToCome = Method.fromWireName(sweep.method).map(Method::adaptive).orElse(false)
                && total < sweep.maxTrials;
        if (active == 0 && !moreToCome) {
            end(sweep, counts.containsKey(RunState.SUCCEEDED) ? SweepStatus.SUCCEEDED : SweepStatus.FAILED, now);
            events.sweepEnded(sweep, counts);
        } else if (sweep.status == SweepStatus.QUEUED && (counts.containsKey(RunState.RUNNING)
                || counts.keySet().stream().anyMatch(RunState::terminal))) {
            sweep.moveTo(SweepStatus.RUNNING);
            sweep.updatedAt = now;
        }
    }

    private static List<String> budgetCauses() {
        return java.util.Arrays.stream(FailureCause.values()).filter(FailureCause::countsAgainstBudget)
                .map(Enum::name).toList();
    }

    private static void end(SweepEntity sweep, SweepStatus status, Instant now) {
        sweep.moveTo(status);
        sweep.updatedAt = now;
        sweep.finishedAt = now;
    }
}
