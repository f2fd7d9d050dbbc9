package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.domain.distributed.Rendezvous;
import dev.reprise.orchestrator.domain.run.FailureCause;
import dev.reprise.orchestrator.execution.Executor;
import dev.reprise.orchestrator.execution.TrialObservation;
import dev.reprise.orchestrator.persistence.RendezvousStore;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.SweepRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * All-or-nothing for distributed attempts (ADR 0008): one whose ranks have not all registered at the rendezvous
 * within {@code reprise.distributed.start-deadline} of its launch fails with {@link FailureCause#START_DEADLINE},
 * naming the missing ranks, and the executor stops it, which releases every pod (Pending ones included). The
 * deadline counts from the launch, or from when the executor released an attempt it held back on purpose (a Job
 * that Kueue kept suspended while its workload queued, {@link Executor#startDeadlineClock}); a held attempt is not
 * overdue, however long it waits.
 */
@ApplicationScoped
public class StartDeadlineCheck {

    private static final Logger LOG = Logger.getLogger(StartDeadlineCheck.class);

    private final RendezvousStore store;
    private final SweepRepository sweeps;
    private final StoredSpecs specs;
    private final RunLifecycle lifecycle;
    private final Duration deadline;

    public StartDeadlineCheck(RendezvousStore store, SweepRepository sweeps, StoredSpecs specs, RunLifecycle lifecycle,
            @ConfigProperty(name = "reprise.distributed.start-deadline", defaultValue = "10m") Duration deadline) {
        this.store = store;
        this.sweeps = sweeps;
        this.specs = specs;
        this.lifecycle = lifecycle;
        this.deadline = deadline;
    }

    /** A distributed attempt past its start deadline, with the message naming who is missing. */
    record Overdue(long runId, int attempt, String message) {
    }

    /** Fails and stops every overdue attempt; returns how many. */
    public int check(Executor executor) {
        if (!executor.rendezvous()) {
            return 0;
        }
        int failed = 0;
        for (Overdue o : overdue(Instant.now(), executor)) {
            if (lifecycle.observe(new TrialObservation.Failed(o.runId(), o.attempt(), Instant.now(),
                    FailureCause.START_DEADLINE, null, o.message()))) {
                LOG.infof("run %d attempt %d: %s", o.runId(), o.attempt(), o.message());
                executor.stop(o.runId(), o.attempt());
                failed++;
            }
        }
        return failed;
    }

    @Transactional
    List<Overdue> overdue(Instant now, Executor executor) {
        List<Overdue> overdue = new ArrayList<>();
        Instant cutoff = now.minus(deadline);
        // the clock never starts before the launch: only attempts launched before the cut-off can be overdue
        for (RendezvousStore.LaunchedAttempt a : store.launchedBefore(cutoff)) {
            SweepEntity sweep = sweeps.findById(a.sweepId());
            int nodes = sweep == null ? 1 : specs.of(sweep).resources().nodes();
            if (nodes < 2) {
                continue;
            }
            List<Rendezvous.Member> members = store.members(a.runId(), a.attempt());
            if (members.size() >= nodes) {
                continue;
            }
            Optional<Instant> clock = executor.startDeadlineClock(a.runId(), a.attempt(), a.launchedAt());
            if (clock.isEmpty() || !clock.get().isBefore(cutoff)) {
                continue; // held back (suspended, queued), or released too recently
            }
            String since = a.launchedAt() == null || !clock.get().isAfter(a.launchedAt()) ? ""
                    : ", counted from " + clock.get() + " when its Job was resumed";
            overdue.add(new Overdue(a.runId(), a.attempt(), "not every rank was up within the start deadline ("
                    + deadline.toSeconds() + " s, reprise.distributed.start-deadline" + since + "): "
                    + Rendezvous.missing(nodes, members) + "; every pod was released"));
        }
        return overdue;
    }
}
