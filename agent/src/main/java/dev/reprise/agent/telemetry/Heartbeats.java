package dev.reprise.agent.telemetry;

import dev.reprise.agent.report.Reporter;
import dev.reprise.agent.report.RunContext;
import dev.reprise.api.messages.GpuSample;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Sends a Heartbeat with process-tree and GPU usage every interval, on its own thread. */
public final class Heartbeats implements AutoCloseable {

    private final RunContext run;
    private final Reporter reporter;
    private final ProcessTreeSampler tree;
    private final Optional<NvidiaSmi> gpus;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reprise-agent-heartbeat");
        t.setDaemon(true);
        return t;
    });

    public Heartbeats(RunContext run, Reporter reporter, ProcessTreeSampler tree, Optional<NvidiaSmi> gpus) {
        this.run = run;
        this.reporter = reporter;
        this.tree = tree;
        this.gpus = gpus;
    }

    public Heartbeats start(Duration interval) {
        long millis = Math.max(100, interval.toMillis());
        scheduler.scheduleWithFixedDelay(this::beat, millis, millis, TimeUnit.MILLISECONDS);
        return this;
    }

    void beat() {
        try {
            ProcessTreeSampler.Usage usage = tree.sample();
            List<GpuSample> samples = gpus.map(NvidiaSmi::sample).orElse(List.of());
            reporter.event(run.heartbeat(System.currentTimeMillis(), usage.cpuPercent(), usage.cpuSeconds(),
                    usage.rssBytes(), usage.processCount(), samples));
        } catch (RuntimeException e) {
            // telemetry is best effort; the next beat tries again
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
