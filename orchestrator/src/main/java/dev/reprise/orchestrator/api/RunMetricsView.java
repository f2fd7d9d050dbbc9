package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.persistence.MetricsQuery;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The metrics of a run at a glance: one summary per key, what each attempt's agent reported, refused input. */
@Schema(name = "RunMetrics")
public record RunMetricsView(
        long runId,
        @Schema(description = "The run's current attempt") int attempt,
        @Schema(description = "Highest step of the user's keys in the newest reporting attempt") Long lastStep,
        @Schema(description = "When the newest reporting attempt's agent last sent a heartbeat (agent clock)")
        Instant lastHeartbeatAt,
        @Schema(description = "One summary per key, by name; system metrics from heartbeats are under sys/")
        List<MetricKeyView> keys,
        @Schema(description = "What the agent of each attempt reported, newest attempt first")
        List<AgentReportView> attempts,
        @Schema(description = "Metric values refused by the agent or by the ingest, summed per reason")
        List<WarningView> warnings) {

    /** Summary of one key over all attempts. Values may be the strings NaN, Infinity or -Infinity. */
    @Schema(name = "MetricKey")
    public record MetricKeyView(
            String key,
            @Schema(description = "Stored points, each identity once") long points,
            @Schema(description = "Of which NaN") long nanPoints,
            @Schema(description = "Attempt, step and value of the point with the highest (attempt, step, seq)")
            int lastAttempt,
            long lastStep,
            @Schema(description = "A number, or the string NaN, Infinity or -Infinity") double last,
            Instant lastAt,
            @Schema(description = "Lowest value, NaN left out; null when all values are NaN") Double min,
            @Schema(description = "Highest value, NaN left out; null when all values are NaN") Double max) {
    }

    @Schema(name = "AgentReport")
    public record AgentReportView(int attempt, String agentId, String agentVersion, String hostname, Long pid,
            Instant startedAt, Instant lastHeartbeatAt,
            @Schema(description = "When the orchestrator stored the newest heartbeat (its own clock)")
            Instant lastSeenAt,
            Double cpuPercent, Double cpuSeconds, Long rssBytes, Integer processCount, Integer gpuCount,
            Long lastStep, Instant finishedAt, Integer exitCode,
            @Schema(description = "COMPLETED, FAILED, TERMINATED, KILLED or AGENT_ERROR") String stopReason,
            Integer signal,
            @Schema(description = "Why the agent gave up (AGENT_ERROR); null otherwise") String message) {
    }

    @Schema(name = "MetricWarning")
    public record WarningView(
            @Schema(description = "agent or ingest") String source,
            String reason,
            long count,
            @Schema(description = "The first refused key, shortened, control characters escaped") String example,
            Instant lastAt) {
    }

    static RunMetricsView of(long runId, int currentAttempt, MetricsQuery.RunMetrics m) {
        List<AgentReportView> attempts = m.attempts().stream().map(a -> new AgentReportView(a.attempt(),
                a.agentId(), a.agentVersion(), a.hostname(), a.pid(), a.startedAt(), a.lastHeartbeatAt(),
                a.lastSeenAt(), a.cpuPercent(), a.cpuSeconds(), a.rssBytes(), a.processCount(), a.gpuCount(),
                a.lastStep(), a.finishedAt(), a.exitCode(), a.stopReason(), a.signal(), a.message())).toList();
        AgentReportView newest = attempts.isEmpty() ? null : attempts.get(0);
        return new RunMetricsView(runId, currentAttempt, newest == null ? null : newest.lastStep(),
                newest == null ? null : newest.lastHeartbeatAt(),
                m.keys().stream().map(k -> new MetricKeyView(k.key(), k.points(), k.nanPoints(), k.lastAttempt(),
                        k.lastStep(), k.lastValue(), k.lastAt(), k.min(), k.max())).toList(),
                attempts,
                m.warnings().stream().map(w -> new WarningView(w.source(), w.reason(), w.count(), w.example(),
                        w.lastAt())).toList());
    }
}
