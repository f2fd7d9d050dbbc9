package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.persistence.LeaderLock;
import dev.reprise.orchestrator.domain.scheduling.SchedulingPolicy;
import dev.reprise.orchestrator.execution.Executor;
import dev.reprise.orchestrator.execution.LaunchException;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Launches queued trials. One loop thread per instance; only the holder of the leader lock schedules. Each round:
 * snapshot the demand, let {@link SchedulingPolicy} choose, claim the chosen runs (QUEUED to LAUNCHING, committed),
 * then launch them; a failed launch goes back to the queue with backoff, or fails the attempt if it cannot work.
 */
@ApplicationScoped
public class Scheduler {

    private static final Logger LOG = Logger.getLogger(Scheduler.class);

    private final SchedulerConfig config;
    private final Queues queues;
    private final SchedulerStore store;
    private final RunLifecycle lifecycle;
    private final Reconciler reconciler;
    private final LeaderLock leader;
    private final SchedulerSignal signal;
    private final Executors executors;
    private final BayesSuggester bayes;
    private final EarlyStopper earlyStopper;
    private final StartDeadlineCheck startDeadline;
    private final BudgetCheck budgets;
    private final Map<Long, Integer> launchFailures = new ConcurrentHashMap<>();
    private final PendingObservations pending;
    private final MeterRegistry registry;
    private final Timer roundTimer;
    private final java.util.concurrent.atomic.AtomicLong rounds = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean running;
    private volatile boolean leading;
    private Thread loop;

    public Scheduler(SchedulerConfig config, Queues queues, SchedulerStore store, RunLifecycle lifecycle,
            Reconciler reconciler, LeaderLock leader, SchedulerSignal signal, Executors executors,
            BayesSuggester bayes, EarlyStopper earlyStopper, StartDeadlineCheck startDeadline,
            BudgetCheck budgets, MeterRegistry registry) {
        this.budgets = budgets;
        this.config = config;
        this.registry = registry;
        this.roundTimer = Timer.builder("reprise.scheduler.round").description("One scheduling round as leader: "
                + "early stopping, suggestions, planning, claiming and launching").register(registry);
        this.queues = queues;
        this.store = store;
        this.lifecycle = lifecycle;
        this.reconciler = reconciler;
        this.leader = leader;
        this.signal = signal;
        this.executors = executors;
        this.bayes = bayes;
        this.earlyStopper = earlyStopper;
        this.startDeadline = startDeadline;
        this.pending = new PendingObservations(lifecycle::observe,
                o -> executors.active().ifPresent(executor -> executor.applied(o)));
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled() || executors.active().isEmpty()) {
            LOG.infof("scheduler off (reprise.scheduler.enabled=%s, reprise.executor=%s): sweeps are stored only",
                    config.enabled(), executors.name());
            return;
        }
        running = true;
        loop = new Thread(this::loop, "reprise-scheduler");
        loop.setDaemon(true);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (loop != null) {
            loop.interrupt();
            try {
                loop.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        leader.release();
    }

    public boolean leading() {
        return leading;
    }

    private void loop() {
        Executor executor = executors.active().orElseThrow();
        while (running) {
            try {
                boolean caughtUp = pending.drain();
                if (leader.holdOrAcquire() && caughtUp) {
                    if (!leading) {
                        leading = true;
                        executor.start(this::observe);
                        reconciler.reconcile(executor);
                    }
                    Timer.Sample sample = Timer.start(registry);
                    round(executor);
                    sample.stop(roundTimer);
                    rounds.incrementAndGet();
                } else {
                    // not the leader, or observations wait for the database: reconciling or scheduling now would
                    // act on stale runs (a finished trial not yet recorded would look vanished and run again), so
                    // this instance reconciles again once they are applied
                    leading = false;
                }
                signal.await(config.interval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "scheduling round failed; retrying in %s", config.interval());
                try {
                    signal.await(config.interval().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** What the executor saw: applied now, or kept in order until the database answers again. */
    private void observe(TrialObservation observation) {
        pending.offer(observation);
    }

    /**
     * Scheduling rounds this instance has completed as leader: a test that wants to see that nothing happens waits
     * for a few more rounds instead of a fixed time.
     */
    public long completedRounds() {
        return rounds.get();
    }

    /** Executor observations waiting for the database. */
    public int pendingObservations() {
        return pending.size();
    }

    /** One scheduling round; returns how many trials it launched. */
    int round(Executor executor) {
        try {
            earlyStopper.check();
        } catch (RuntimeException e) {
            LOG.errorf(e, "early termination check failed; scheduling goes on");
        }
        try {
            startDeadline.check(executor);
        } catch (RuntimeException e) {
            LOG.errorf(e, "start deadline check of distributed trials failed; scheduling goes on");
        }
        for (long sweepId : bayes.candidates()) {
            try {
                bayes.topUp(sweepId);
            } catch (RuntimeException e) {
                LOG.errorf(e, "could not suggest trials for sweep %s; scheduling goes on", sweepId);
            }
        }
        SchedulerStore.Snapshot snapshot = store.snapshot(config.maxLaunchesPerRound());
        List<Long> plan = SchedulingPolicy.plan(queues.policies(), snapshot.usage(),
                budgets.admit(snapshot.demands()));
        if (plan.isEmpty()) {
            return 0;
        }
        if (plan.size() > config.maxLaunchesPerRound()) {
            plan = plan.subList(0, config.maxLaunchesPerRound());
        }
        List<TrialLaunch> claimed = store.claim(plan);
        List<Executor.LaunchFailure> failures = executor.launchAll(claimed);
        for (Executor.LaunchFailure f : failures) {
            registry.counter("reprise.launch.failures", "queue", f.launch().queue(), "kind",
                    f.error().retryable() ? "retried" : "failed").increment();
            handleFailure(f.launch(), f.error());
        }
        for (TrialLaunch l : claimed) {
            if (failures.stream().noneMatch(f -> f.launch().runId() == l.runId())) {
                registry.counter("reprise.launches", "queue", l.queue()).increment();
            }
        }
        claimed.stream().filter(l -> failures.stream().noneMatch(f -> f.launch().runId() == l.runId()))
                .forEach(l -> launchFailures.remove(l.runId()));
        if (!failures.isEmpty()) {
            LOG.warnf("%d of %d launches failed this round; first: run %s: %s", failures.size(), claimed.size(),
                    failures.get(0).launch().runId(), failures.get(0).error().getMessage());
        }
        return claimed.size() - failures.size();
    }

    private void handleFailure(TrialLaunch launch, LaunchException error) {
        if (error.retryable()) {
            int n = launchFailures.merge(launch.runId(), 1, Integer::sum);
            long base = config.launchBackoff().toMillis() << Math.min(n - 1, 20);
            long delay = Math.min(base, config.maxLaunchBackoff().toMillis());
            delay += ThreadLocalRandom.current().nextLong(delay / 4 + 1);
            store.retryLater(launch.runId(), launch.attempt(), Instant.now().plusMillis(delay), error.getMessage());
        } else {
            launchFailures.remove(launch.runId());
            observe(new TrialObservation.Failed(launch.runId(), launch.attempt(), Instant.now(),
                    dev.reprise.orchestrator.domain.run.FailureCause.LAUNCH_ERROR, null, error.getMessage()));
        }
    }
}
