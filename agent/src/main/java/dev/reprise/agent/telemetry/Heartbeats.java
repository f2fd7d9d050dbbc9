package dev.reprise.agent.telemetry;

import dev.reprise.agent.AgentLog;
import dev.reprise.agent.report.Reporter;
import dev.reprise.agent.report.RunContext;
import dev.reprise.api.messages.GpuSample;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends a Heartbeat with process-tree and GPU usage every interval, on its own thread. The heartbeat is what tells
 * the orchestrator that the trial is alive, so it goes out whatever the samplers do: a CPU reading that fails is sent
 * as "unknown" (no percent), a failing nvidia-smi as no GPU samples, each said once on the agent's log.
 *
 * <p>The beats go on after the training command has exited, until the agent has reported the attempt finished: the
 * agent still drains output, uploads artifacts and flushes metrics then, which can take longer than the orchestrator's
 * heartbeat timeout (a large checkpoint, a slow store, a loaded node), and a silent agent would be marked LOST with its
 * trial's result on the way. Those beats say what is true then: no process, no memory, no CPU, the CPU time the
 * command used.
 */
public final class Heartbeats implements AutoCloseable {

    private final RunContext run;
    private final Reporter reporter;
    private final ProcessTreeSampler tree;
    private final Optional<NvidiaSmi> gpus;
    private final AgentLog log;
    private volatile boolean processEnded;
    private volatile double lastCpuSeconds;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reprise-agent-heartbeat");
        t.setDaemon(true);
        return t;
    });

    public Heartbeats(RunContext run, Reporter reporter, ProcessTreeSampler tree, Optional<NvidiaSmi> gpus,
            AgentLog log) {
        this.run = run;
        this.log = log;
        this.reporter = reporter;
        this.tree = tree;
        this.gpus = gpus;
    }

    public Heartbeats start(Duration interval) {
        long millis = Math.max(100, interval.toMillis());
        scheduler.scheduleWithFixedDelay(this::beat, millis, millis, TimeUnit.MILLISECONDS);
        return this;
    }

    /** The training command has exited: later beats only say the agent is alive and finishing. */
    public void processEnded() {
        processEnded = true;
    }

    void beat() {
        ProcessTreeSampler.Usage usage;
        try {
            usage = processEnded ? new ProcessTreeSampler.Usage(0.0, lastCpuSeconds, 0, 0) : tree.sample();
            lastCpuSeconds = usage.cpuSeconds();
        } catch (RuntimeException e) {
            log.warnOnce("heartbeat-cpu", "cannot sample the training process's CPU and memory (" + e
                    + "); heartbeats go on without them");
            usage = new ProcessTreeSampler.Usage(null, 0, 0, 0);
        }
        List<GpuSample> samples = List.of();
        if (gpus.isPresent() && !processEnded) {
            try {
                NvidiaSmi.Query q = gpus.get().query();
                q.failure().ifPresent(why -> log.warnOnce("heartbeat-gpu", "no GPU telemetry: " + why
                        + " (said once; heartbeats go on without GPU samples)"));
                samples = NvidiaSmi.samples(q);
            } catch (RuntimeException e) {
                log.warnOnce("heartbeat-gpu", "no GPU telemetry: " + e + " (said once)");
            }
        }
        try {
            reporter.event(run.heartbeat(System.currentTimeMillis(), usage.cpuPercent(), usage.cpuSeconds(),
                    usage.rssBytes(), usage.processCount(), samples));
        } catch (RuntimeException e) {
            // the reporter buffers and retries; this only fails when it is closed or broken: the next beat retries
            log.warnOnce("heartbeat-send", "could not send a heartbeat: " + e);
        }
    }

    /** Stops the beats; a beat under way is let finish (briefly), so none follows what the caller sends next. */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
