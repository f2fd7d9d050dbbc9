package dev.reprise.agent.report;

import dev.reprise.api.messages.GpuSample;
import dev.reprise.api.messages.LogStream;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.StopReason;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Who is reporting (run, attempt, agent) and the event sequence: creates every {@link RunEvent}. Thread-safe. */
public final class RunContext {

    private final long runId;
    private final int attempt;
    private final String agentId;
    private final AtomicLong eventSeq = new AtomicLong();

    public RunContext(long runId, int attempt, String agentId) {
        this.runId = runId;
        this.attempt = attempt;
        this.agentId = agentId;
    }

    public long runId() {
        return runId;
    }

    public int attempt() {
        return attempt;
    }

    public String agentId() {
        return agentId;
    }

    public RunEvent.Started started(long pid, String hostname, List<String> command, String version, long at) {
        return new RunEvent.Started(runId, attempt, next(), agentId, pid, hostname, command, version, at);
    }

    public RunEvent.Heartbeat heartbeat(long at, Double cpuPercent, double cpuSeconds, long rssBytes,
                                        int processCount, List<GpuSample> gpus) {
        return new RunEvent.Heartbeat(runId, attempt, next(), at, cpuPercent, cpuSeconds, rssBytes, processCount,
                gpus);
    }

    public RunEvent.LogChunk logChunk(LogStream stream, long firstLine, List<String> lines) {
        return new RunEvent.LogChunk(runId, attempt, next(), stream, firstLine, lines);
    }

    public RunEvent.Finished finished(int exitCode, StopReason reason, Integer signal, long at) {
        return new RunEvent.Finished(runId, attempt, next(), exitCode, reason, signal, at);
    }

    /** A finish that says why, for {@link StopReason#AGENT_ERROR}. */
    public RunEvent.Finished finished(int exitCode, StopReason reason, Integer signal, long at, String message) {
        return new RunEvent.Finished(runId, attempt, next(), exitCode, reason, signal, at, message);
    }

    public RunEvent.MetricWarning metricWarning(long count, String reason, String example, long at) {
        return new RunEvent.MetricWarning(runId, attempt, next(), count, reason, example, at);
    }

    public RunEvent.ParamsLogged paramsLogged(java.util.Map<String, String> params, long at) {
        return new RunEvent.ParamsLogged(runId, attempt, next(), params, at);
    }

    private long next() {
        return eventSeq.getAndIncrement();
    }
}
