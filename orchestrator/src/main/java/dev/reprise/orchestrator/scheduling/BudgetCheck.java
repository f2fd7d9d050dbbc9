package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.run.SweepStatus;
import dev.reprise.orchestrator.domain.scheduling.SweepDemand;
import dev.reprise.orchestrator.domain.usage.GpuBudget;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.SweepRepository;
import dev.reprise.orchestrator.persistence.UsageQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * GPU-hour limits before each scheduling round ({@link GpuBudget}): a sweep whose {@code budget.gpu_hours} is used
 * up (ended attempts plus running ones so far) starts nothing more and, once none of its trials runs, ends with the
 * reason stated; a project that used its GPU-hour quota in a queue for the current calendar period starts nothing
 * more in that queue until the next period. A sweep ended by its budget emits {@code sweep.budget_reached} and then
 * {@code sweep.finished} or {@code sweep.failed} to the project's webhooks.
 */
@ApplicationScoped
public class BudgetCheck {

    private static final Logger LOG = Logger.getLogger(BudgetCheck.class);

    private final SweepRepository sweeps;
    private final RunRepository runs;
    private final StoredSpecs specs;
    private final Queues queues;
    private final UsageQueries usage;
    private final WebhookEvents webhooks;

    public BudgetCheck(SweepRepository sweeps, RunRepository runs, StoredSpecs specs, Queues queues,
            UsageQueries usage, WebhookEvents webhooks) {
        this.sweeps = sweeps;
        this.runs = runs;
        this.specs = specs;
        this.queues = queues;
        this.usage = usage;
        this.webhooks = webhooks;
    }

    /** The demands that may start trials now; sweeps out of budget with nothing running are ended. */
    @Transactional
    public List<SweepDemand> admit(List<SweepDemand> demands) {
        List<SweepDemand> admitted = new ArrayList<>(demands.size());
        Map<String, Map<String, Double>> queueUse = new HashMap<>();
        Instant now = Instant.now();
        for (SweepDemand d : demands) {
            Optional<String> sweepRefusal = sweepRefusal(d.sweepId());
            if (sweepRefusal.isPresent()) {
                if (d.active() == 0) {
                    end(d.sweepId(), sweepRefusal.get());
                }
                continue;
            }
            Optional<Queues.ProjectQuota> quota = queues.projectQuota(d.queue());
            if (quota.isPresent()) {
                Map<String, Double> use = queueUse.computeIfAbsent(d.queue(),
                        q -> usage.queueGpuSecondsByProject(q, quota.get().period().start(now), now));
                Optional<String> refusal = quota.get().budget().refusal(use.getOrDefault(d.project(), 0.0), 0);
                if (refusal.isPresent()) {
                    LOG.debugf("sweep %s waits: project %s in queue %s: %s this %s", d.sweepId(), d.project(),
                            d.queue(), refusal.get(), quota.get().period().wireName());
                    continue;
                }
            }
            admitted.add(d);
        }
        return admitted;
    }

    private Optional<String> sweepRefusal(long sweepId) {
        SweepEntity sweep = sweeps.findById(sweepId);
        Double budget = sweep == null ? null : specs.of(sweep).budgetGpuHours();
        if (budget == null) {
            return Optional.empty();
        }
        return new GpuBudget(budget).refusal(usage.sweepGpuSeconds(sweepId, Instant.now()), 0);
    }

    /** Ends a sweep whose budget is used up and none of whose trials runs: the runs not started are cancelled. */
    private void end(long sweepId, String reason) {
        SweepEntity sweep = sweeps.findById(sweepId, LockModeType.PESSIMISTIC_WRITE);
        if (sweep == null || sweep.status.terminal()) {
            return;
        }
        Map<RunState, Long> counts = runs.countsByState(List.of(sweepId)).getOrDefault(sweepId, Map.of());
        if (counts.getOrDefault(RunState.LAUNCHING, 0L) + counts.getOrDefault(RunState.RUNNING, 0L) > 0) {
            return; // a trial started meanwhile: end once it finished
        }
        Instant now = Instant.now();
        runs.cancelActive(sweepId, now);
        sweep.moveTo(counts.containsKey(RunState.SUCCEEDED) ? SweepStatus.SUCCEEDED : SweepStatus.FAILED);
        sweep.endReason = reason;
        sweep.updatedAt = now;
        sweep.finishedAt = now;
        // in the same transaction as the status (the webhook outbox): sweep.budget_reached, then the end itself
        webhooks.budgetReached(sweep, reason);
        webhooks.sweepEnded(sweep, runs.countsByState(List.of(sweepId)).getOrDefault(sweepId, Map.of()));
        LOG.infof("sweep %s ended: %s", sweepId, reason);
    }
}
