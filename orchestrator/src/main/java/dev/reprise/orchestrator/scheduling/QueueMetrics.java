package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.domain.run.FailureCause;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.scheduling.QueuePolicy;
import dev.reprise.orchestrator.domain.scheduling.QueueUsage;
import dev.reprise.orchestrator.persistence.RunStatistics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * The queues' state as Prometheus gauges, read from the database (so every instance, leader or not, exports the same
 * figures): trials by queue and state, failed trials by cause, queue depth and the age of the oldest waiting trial,
 * GPUs and trials in use against each queue's quota. The figures are read at most once per
 * {@code reprise.scheduler.metrics-refresh} (one grouped statement and the scheduler's usage query), on a scrape;
 * a queue appears once it is configured or has runs.
 */
@ApplicationScoped
@Startup
public class QueueMetrics {

    private static final Logger LOG = Logger.getLogger(QueueMetrics.class);

    private final RunStatistics statistics;
    private final SchedulerStore store;
    private final Queues queues;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Duration refresh;
    private final Set<String> registeredQueues = ConcurrentHashMap.newKeySet();
    private volatile Figures figures = Figures.EMPTY;
    private volatile Instant readAt = Instant.EPOCH;

    public QueueMetrics(RunStatistics statistics, SchedulerStore store, Queues queues, MeterRegistry registry,
            SchedulerConfig config) {
        this.statistics = statistics;
        this.store = store;
        this.queues = queues;
        this.registry = registry;
        this.clock = Clock.systemUTC();
        this.refresh = config.metricsRefresh();
        queues.policies().keySet().forEach(this::register);
    }

    /** What one read of the database gave. */
    record Figures(Map<String, Long> trials, Map<String, Long> failed, Map<String, Instant> oldestQueued,
            Map<String, QueueUsage> usage) {
        static final Figures EMPTY = new Figures(Map.of(), Map.of(), Map.of(), Map.of());
    }

    private static String key(String queue, String part) {
        return queue + '\u0000' + part;
    }

    private void register(String queue) {
        if (!registeredQueues.add(queue)) {
            return;
        }
        for (RunState state : RunState.values()) {
            gauge("reprise.trials", "Trials of the queue in this state", queue, "state", state.name(),
                    f -> f.trials().getOrDefault(key(queue, state.name()), 0L));
        }
        for (FailureCause cause : FailureCause.values()) {
            gauge("reprise.trials.failed", "Failed trials of the queue by failure cause", queue, "cause",
                    cause.name(), f -> f.failed().getOrDefault(key(queue, cause.name()), 0L));
        }
        gauge("reprise.queue.depth", "Trials waiting to start (QUEUED)", queue, null, null,
                f -> f.trials().getOrDefault(key(queue, RunState.QUEUED.name()), 0L));
        gauge("reprise.queue.oldest.waiting.seconds", "Age of the oldest waiting trial (0 when none waits)", queue,
                null, null, f -> {
                    Instant oldest = f.oldestQueued().get(queue);
                    return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1e3);
                });
        gauge("reprise.queue.running", "Trials holding a slot of the queue (launching, running)", queue, null, null,
                f -> f.usage().getOrDefault(queue, QueueUsage.NONE).running());
        gauge("reprise.queue.gpus.in.use", "GPUs held by the queue's trials", queue, null, null,
                f -> f.usage().getOrDefault(queue, QueueUsage.NONE).gpus());
        // the launch counters exist from the start (at 0), so that rate() and the dashboard see every queue at once
        registry.counter("reprise.launches", "queue", queue);
        registry.counter("reprise.launch.failures", "queue", queue, "kind", "retried");
        registry.counter("reprise.launch.failures", "queue", queue, "kind", "failed");
        QueuePolicy policy = queues.policies().get(queue);
        if (policy != null && policy.gpuQuota() != null) {
            Gauge.builder("reprise.queue.gpu.quota", policy, p -> p.gpuQuota()).description("The queue's GPU quota")
                    .tag("queue", queue).register(registry);
        }
        if (policy != null && policy.maxRunning() != null) {
            Gauge.builder("reprise.queue.max.running", policy, p -> p.maxRunning())
                    .description("The queue's limit on trials at once").tag("queue", queue).register(registry);
        }
    }

    private void gauge(String name, String description, String queue, String tag, String value,
            ToDoubleFunction<Figures> read) {
        Gauge.Builder<QueueMetrics> b = Gauge.builder(name, this, m -> read.applyAsDouble(m.current()))
                .description(description).tag("queue", queue);
        if (tag != null) {
            b.tag(tag, value);
        }
        b.register(registry);
    }

    /** The figures, read again when older than the refresh interval; the last good ones if the database is away. */
    Figures current() {
        Instant now = clock.instant();
        if (Duration.between(readAt, now).compareTo(refresh) < 0) {
            return figures;
        }
        synchronized (this) {
            if (Duration.between(readAt, clock.instant()).compareTo(refresh) >= 0) {
                readAt = clock.instant();
                try {
                    figures = read();
                } catch (Exception e) {
                    LOG.debugf("queue metrics not refreshed: %s", e.toString());
                }
            }
            return figures;
        }
    }

    private Figures read() throws Exception {
        Map<String, Long> trials = new HashMap<>();
        Map<String, Long> failed = new HashMap<>();
        Map<String, Instant> oldest = new HashMap<>();
        for (RunStatistics.QueueStateCount row : statistics.byQueueAndState()) {
            trials.merge(key(row.queue(), row.state()), row.runs(), Long::sum);
            if (row.failureCause() != null && RunState.FAILED.name().equals(row.state())) {
                failed.merge(key(row.queue(), row.failureCause()), row.runs(), Long::sum);
            }
            if (RunState.QUEUED.name().equals(row.state()) && row.oldestCreated() != null) {
                oldest.merge(row.queue(), row.oldestCreated(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        Map<String, QueueUsage> usage = store.usage();
        Figures read = new Figures(Map.copyOf(trials), Map.copyOf(failed), Map.copyOf(oldest), Map.copyOf(usage));
        trials.keySet().forEach(k -> register(k.substring(0, k.indexOf('\u0000'))));
        usage.keySet().forEach(this::register);
        return read;
    }

    /** Reads the figures now (tests, and the first scrape after a change they wait for). */
    void refreshNow() {
        readAt = Instant.EPOCH;
        current();
    }
}
