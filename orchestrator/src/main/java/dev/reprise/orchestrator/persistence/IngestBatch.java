package dev.reprise.orchestrator.persistence;

import dev.reprise.api.messages.RunEvent;
import java.util.List;

/**
 * Everything one ingest transaction writes: validated points, log lines, the agents' lifecycle reports and the
 * warnings about refused input. Built by the Kafka ingest, written by {@link IngestStore} in one transaction.
 */
public record IngestBatch(
        List<Point> points,
        List<LogLine> logLines,
        List<RunEvent.Started> starts,
        List<RunEvent.Heartbeat> heartbeats,
        List<RunEvent.Finished> finishes,
        List<Warning> warnings,
        List<Params> params,
        List<RankReport> rankReports) {

    /** A batch without per-rank reports (no distributed trial in it). */
    public IngestBatch(List<Point> points, List<LogLine> logLines, List<RunEvent.Started> starts,
                       List<RunEvent.Heartbeat> heartbeats, List<RunEvent.Finished> finishes, List<Warning> warnings,
                       List<Params> params) {
        this(points, logLines, starts, heartbeats, finishes, warnings, params, List.of());
    }

    /** A batch without logged params. */
    public IngestBatch(List<Point> points, List<LogLine> logLines, List<RunEvent.Started> starts,
                       List<RunEvent.Heartbeat> heartbeats, List<RunEvent.Finished> finishes, List<Warning> warnings) {
        this(points, logLines, starts, heartbeats, finishes, warnings, List.of());
    }

    public IngestBatch {
        points = List.copyOf(points);
        logLines = List.copyOf(logLines);
        starts = List.copyOf(starts);
        heartbeats = List.copyOf(heartbeats);
        finishes = List.copyOf(finishes);
        warnings = List.copyOf(warnings);
        params = List.copyOf(params);
        rankReports = List.copyOf(rankReports);
    }

    public boolean isEmpty() {
        return points.isEmpty() && logLines.isEmpty() && starts.isEmpty() && heartbeats.isEmpty()
                && finishes.isEmpty() && warnings.isEmpty() && params.isEmpty() && rankReports.isEmpty();
    }

    /**
     * This batch split by run into at most {@code n} batches (runs spread by hash), without empty ones: batches of
     * different runs touch disjoint rows, so they can be written in parallel transactions.
     */
    public List<IngestBatch> shard(int n) {
        if (n <= 1) {
            return isEmpty() ? List.of() : List.of(this);
        }
        List<Builder> shards = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            shards.add(new Builder());
        }
        points.forEach(p -> shards.get(index(p.runId(), n)).points.add(p));
        logLines.forEach(l -> shards.get(index(l.runId(), n)).logLines.add(l));
        starts.forEach(e -> shards.get(index(e.runId(), n)).starts.add(e));
        heartbeats.forEach(e -> shards.get(index(e.runId(), n)).heartbeats.add(e));
        finishes.forEach(e -> shards.get(index(e.runId(), n)).finishes.add(e));
        warnings.forEach(w -> shards.get(index(w.runId(), n)).warnings.add(w));
        params.forEach(p -> shards.get(index(p.runId(), n)).params.add(p));
        rankReports.forEach(r -> shards.get(index(r.event().runId(), n)).rankReports.add(r));
        return shards.stream().map(Builder::build).filter(b -> !b.isEmpty()).toList();
    }

    private static int index(long runId, int n) {
        return Math.floorMod(Long.hashCode(runId * 0x9E3779B97F4A7C15L), n);
    }

    private static final class Builder {
        final List<Point> points = new java.util.ArrayList<>();
        final List<LogLine> logLines = new java.util.ArrayList<>();
        final List<RunEvent.Started> starts = new java.util.ArrayList<>();
        final List<RunEvent.Heartbeat> heartbeats = new java.util.ArrayList<>();
        final List<RunEvent.Finished> finishes = new java.util.ArrayList<>();
        final List<Warning> warnings = new java.util.ArrayList<>();
        final List<Params> params = new java.util.ArrayList<>();
        final List<RankReport> rankReports = new java.util.ArrayList<>();

        IngestBatch build() {
            return new IngestBatch(points, logLines, starts, heartbeats, finishes, warnings, params, rankReports);
        }
    }

    /** One metric value; (runId, attempt, key, step, seq) is its identity. {@code system} marks {@code sys/} keys. */
    public record Point(long runId, int attempt, String key, long step, long seq, long timestampMillis,
                        double value, boolean system) {
    }

    /**
     * One output line; (runId, attempt, rank, stream, lineNo) is its identity. Stream 1 is stdout, 2 is stderr;
     * {@code rank} is the node rank of a distributed trial's agent (0 for an ordinary trial).
     */
    public record LogLine(long runId, int attempt, int stream, long lineNo, long chunkSeq, String text, int rank) {

        /** A line of rank 0 (an ordinary trial's). */
        public LogLine(long runId, int attempt, int stream, long lineNo, long chunkSeq, String text) {
            this(runId, attempt, stream, lineNo, chunkSeq, text, 0);
        }
    }

    /**
     * A started, heartbeat or finished event of one rank of a distributed trial, kept per (run, attempt, rank). Rank
     * 0's events also count for the run (they are in {@link #starts}, {@link #heartbeats}, {@link #finishes} too).
     */
    public record RankReport(int rank, RunEvent event) {
        public RankReport {
            if (!(event instanceof RunEvent.Started || event instanceof RunEvent.Heartbeat
                    || event instanceof RunEvent.Finished)) {
                throw new IllegalArgumentException("a rank reports started, heartbeat or finished events, not "
                        + event.getClass().getSimpleName());
            }
        }
    }

    /**
     * Params the training code logged through the agent (a params-logged event, {@code seq} its event seq), already
     * checked against MLflow's rules; stored like the MLflow API's log-parameter, immutable once set.
     */
    public record Params(long runId, int attempt, long seq, java.util.Map<String, String> values, long atMillis) {
        public Params {
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        }
    }

    /** Input refused for a run: {@code count} values for {@code reason}, from the agent or the ingest. */
    public record Warning(long runId, int attempt, Source source, long originSeq, String reason, long count,
                          String example, long atMillis) {
    }

    /** Who refused the input. */
    public enum Source {
        AGENT, INGEST;

        public String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
