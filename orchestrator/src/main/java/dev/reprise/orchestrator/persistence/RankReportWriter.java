package dev.reprise.orchestrator.persistence;

import static dev.reprise.orchestrator.persistence.AgentReportWriter.timestamp;

import dev.reprise.api.messages.RunEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;

/**
 * The per-rank reports of a distributed trial's agents, inside the caller's transaction: each rank's start, newest
 * heartbeat and finish into rank_reports, kept per (run, attempt, rank); the run's own report is rank 0's
 * ({@link AgentReportWriter}).
 */
final class RankReportWriter {

    private static final String RANK_STARTED = """
            insert into rank_reports as a (run_id, attempt, rank, agent_id, agent_version, hostname, pid, started_at,
                                            last_seen_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, now())
            on conflict (run_id, attempt, rank) do update set
                agent_id = excluded.agent_id, agent_version = excluded.agent_version, hostname = excluded.hostname,
                pid = excluded.pid, started_at = excluded.started_at,
                last_seen_at = coalesce(a.last_seen_at, excluded.last_seen_at)
            """;

    /** As {@link AgentReportWriter}'s heartbeat, per rank: only a newer heartbeat of the same rank moves it. */
    private static final String RANK_HEARTBEAT = """
            insert into rank_reports as a (run_id, attempt, rank, last_heartbeat_seq, last_heartbeat_at, last_seen_at,
                                            cpu_percent, cpu_seconds, rss_bytes, process_count, gpu_count, gpu_model)
            values (?, ?, ?, ?, ?, now(), ?, ?, ?, ?, ?, ?)
            on conflict (run_id, attempt, rank) do update set
                last_heartbeat_seq = excluded.last_heartbeat_seq, last_heartbeat_at = excluded.last_heartbeat_at,
                last_seen_at = excluded.last_seen_at, cpu_percent = excluded.cpu_percent,
                cpu_seconds = excluded.cpu_seconds, rss_bytes = excluded.rss_bytes,
                process_count = excluded.process_count, gpu_count = excluded.gpu_count,
                gpu_model = coalesce(a.gpu_model, excluded.gpu_model)
            where a.last_heartbeat_seq is null or excluded.last_heartbeat_seq > a.last_heartbeat_seq
            """;

    private static final String RANK_FINISHED = """
            insert into rank_reports as a (run_id, attempt, rank, finished_at, exit_code, stop_reason, signal, message)
            values (?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (run_id, attempt, rank) do update set
                finished_at = excluded.finished_at, exit_code = excluded.exit_code,
                stop_reason = excluded.stop_reason, signal = excluded.signal, message = excluded.message
            """;

    private static final java.util.Comparator<List<Long>> RANK_ORDER = java.util.Comparator
            .<List<Long>, Long>comparing(k -> k.get(0)).thenComparing(k -> k.get(1)).thenComparing(k -> k.get(2));

    private RankReportWriter() {
    }

    /**
     * Each rank's start, newest heartbeat and finish, in (run, attempt, rank) order so that concurrent writers
     * cannot deadlock on the rows.
     */
    static void write(Connection c, List<IngestBatch.RankReport> reports) throws SQLException {
        if (reports.isEmpty()) {
            return;
        }
        Map<List<Long>, RunEvent.Heartbeat> newest = new java.util.TreeMap<>(RANK_ORDER);
        Map<List<Long>, RunEvent.Started> starts = new java.util.TreeMap<>(RANK_ORDER);
        Map<List<Long>, RunEvent.Finished> finishes = new java.util.TreeMap<>(RANK_ORDER);
        for (IngestBatch.RankReport r : reports) {
            List<Long> id = List.of(r.event().runId(), (long) r.event().attempt(), (long) r.rank());
            if (r.event() instanceof RunEvent.Heartbeat h) {
                newest.merge(id, h, (a, b) -> b.seq() > a.seq() ? b : a);
            } else if (r.event() instanceof RunEvent.Started s) {
                starts.put(id, s);
            } else if (r.event() instanceof RunEvent.Finished f) {
                finishes.put(id, f);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(RANK_STARTED)) {
            for (Map.Entry<List<Long>, RunEvent.Started> e : starts.entrySet()) {
                RunEvent.Started s = e.getValue();
                ps.setLong(1, s.runId());
                ps.setInt(2, s.attempt());
                ps.setInt(3, e.getKey().get(2).intValue());
                ps.setString(4, s.agentId());
                ps.setString(5, s.agentVersion());
                ps.setString(6, s.hostname());
                ps.setLong(7, s.pid());
                ps.setTimestamp(8, timestamp(s.startedAtMillis()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(RANK_HEARTBEAT)) {
            for (Map.Entry<List<Long>, RunEvent.Heartbeat> e : newest.entrySet()) {
                RunEvent.Heartbeat h = e.getValue();
                ps.setLong(1, h.runId());
                ps.setInt(2, h.attempt());
                ps.setInt(3, e.getKey().get(2).intValue());
                AgentReportWriter.bindBeat(ps, 4, h);
                ps.setString(11, h.gpus().isEmpty() ? null : dev.reprise.orchestrator.domain.provenance.GpuModels
                        .describe(h.gpus().stream().map(dev.reprise.api.messages.GpuSample::name).toList()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(RANK_FINISHED)) {
            for (Map.Entry<List<Long>, RunEvent.Finished> e : finishes.entrySet()) {
                RunEvent.Finished f = e.getValue();
                ps.setLong(1, f.runId());
                ps.setInt(2, f.attempt());
                ps.setInt(3, e.getKey().get(2).intValue());
                ps.setTimestamp(4, timestamp(f.finishedAtMillis()));
                ps.setInt(5, f.exitCode());
                ps.setString(6, f.reason().name());
                if (f.signal() == null) {
                    ps.setNull(7, Types.INTEGER);
                } else {
                    ps.setInt(7, f.signal());
                }
                ps.setString(8, f.message());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
