package dev.reprise.orchestrator.persistence;

import dev.reprise.api.messages.RunEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agents' lifecycle reports of a run's attempt, inside the caller's transaction: started, heartbeat and finished
 * into agent_reports (only forward: a redelivered heartbeat cannot look alive), and what they tell about the run
 * (agent version and GPU model once per attempt, the exit code), with the runs rows locked in id order first.
 */
final class AgentReportWriter {

    private static final String STARTED = """
            insert into agent_reports as a (run_id, attempt, agent_id, agent_version, hostname, pid, command,
                                             started_at, last_seen_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, now())
            on conflict (run_id, attempt) do update set
                agent_id = excluded.agent_id, agent_version = excluded.agent_version, hostname = excluded.hostname,
                pid = excluded.pid, command = excluded.command, started_at = excluded.started_at,
                last_seen_at = coalesce(a.last_seen_at, excluded.last_seen_at)
            """;

    /** Provenance observed by the agent is written once per attempt (the table refuses to change it after). */
    private static final String RUN_AGENT_VERSION = "update runs set agent_version = ? where id = ? and attempt = ?"
            + " and agent_version is null and ?::text is not null";

    private static final String RUN_GPU_MODEL = "update runs set gpu_model = ? where id = ? and attempt = ?"
            + " and gpu_model is null";

    /** Only a newer heartbeat (higher event seq) moves the report, so a redelivered one cannot look alive. */
    private static final String HEARTBEAT = """
            insert into agent_reports as a (run_id, attempt, last_heartbeat_seq, last_heartbeat_at, last_seen_at,
                                             cpu_percent, cpu_seconds, rss_bytes, process_count, gpu_count)
            values (?, ?, ?, ?, now(), ?, ?, ?, ?, ?)
            on conflict (run_id, attempt) do update set
                last_heartbeat_seq = excluded.last_heartbeat_seq, last_heartbeat_at = excluded.last_heartbeat_at,
                last_seen_at = excluded.last_seen_at, cpu_percent = excluded.cpu_percent,
                cpu_seconds = excluded.cpu_seconds, rss_bytes = excluded.rss_bytes,
                process_count = excluded.process_count, gpu_count = excluded.gpu_count
            where a.last_heartbeat_seq is null or excluded.last_heartbeat_seq > a.last_heartbeat_seq
            """;

    private static final String FINISHED = """
            insert into agent_reports as a (run_id, attempt, finished_at, exit_code, stop_reason, signal, message)
            values (?, ?, ?, ?, ?, ?, ?)
            on conflict (run_id, attempt) do update set
                finished_at = excluded.finished_at, exit_code = excluded.exit_code,
                stop_reason = excluded.stop_reason, signal = excluded.signal, message = excluded.message
            """;

    /** The agent knows the exit code best; a stop reason set already (e.g. CANCELLED) is kept. */
    private static final String RUN_FINISHED = "update runs set exit_code = ?, stop_reason = coalesce(stop_reason, ?)"
            + " where id = ? and attempt = ?";

    private AgentReportWriter() {
    }

    /**
     * Locks the runs rows this batch updates (agent version, GPU model, exit code) in ascending id order before any
     * of them changes ({@link RunRepository#LOCK_ORDER}): updating them in the order the reports arrived could
     * deadlock with a sweep's cancel, which locks the same rows in id order.
     */
    static void lockRuns(Connection c, IngestBatch batch) throws SQLException {
        java.util.TreeSet<Long> ids = new java.util.TreeSet<>();
        batch.starts().forEach(e -> ids.add(e.runId()));
        batch.heartbeats().stream().filter(h -> !h.gpus().isEmpty()).forEach(h -> ids.add(h.runId()));
        batch.finishes().forEach(e -> ids.add(e.runId()));
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select id from runs where id = any(?) order by id for no key update")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.executeQuery().close();
        }
    }

    static void writeStarts(Connection c, List<RunEvent.Started> starts) throws SQLException {
        if (starts.isEmpty()) {
            return;
        }
        try (PreparedStatement report = c.prepareStatement(STARTED);
                PreparedStatement run = c.prepareStatement(RUN_AGENT_VERSION)) {
            for (RunEvent.Started s : starts) {
                report.setLong(1, s.runId());
                report.setInt(2, s.attempt());
                report.setString(3, s.agentId());
                report.setString(4, s.agentVersion());
                report.setString(5, s.hostname());
                report.setLong(6, s.pid());
                report.setArray(7, c.createArrayOf("text", s.command().toArray()));
                report.setTimestamp(8, timestamp(s.startedAtMillis()));
                report.addBatch();
                run.setString(1, s.agentVersion());
                run.setLong(2, s.runId());
                run.setInt(3, s.attempt());
                run.setString(4, s.agentVersion());
                run.addBatch();
            }
            report.executeBatch();
            run.executeBatch();
        }
    }

    /** Only the newest heartbeat of each attempt in the batch is written. */
    static void writeHeartbeats(Connection c, List<RunEvent.Heartbeat> heartbeats) throws SQLException {
        if (heartbeats.isEmpty()) {
            return;
        }
        Map<List<Long>, RunEvent.Heartbeat> newest = new HashMap<>();
        for (RunEvent.Heartbeat h : heartbeats) {
            newest.merge(List.of(h.runId(), (long) h.attempt()), h, (a, b) -> b.seq() > a.seq() ? b : a);
        }
        try (PreparedStatement ps = c.prepareStatement(HEARTBEAT)) {
            for (RunEvent.Heartbeat h : newest.values().stream()
                    .sorted(java.util.Comparator.comparingLong(RunEvent.Heartbeat::runId)
                            .thenComparingInt(RunEvent.Heartbeat::attempt))
                    .toList()) {
                ps.setLong(1, h.runId());
                ps.setInt(2, h.attempt());
                bindBeat(ps, 3, h);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        writeGpuModels(c, newest.values());
    }

    /**
     * Binds a heartbeat's sequence number, time and telemetry (CPU %, CPU seconds, RSS, processes, GPU count) to seven
     * parameters from {@code first}: the run's and a rank's heartbeat statements share them.
     */
    static void bindBeat(PreparedStatement ps, int first, RunEvent.Heartbeat h) throws SQLException {
        ps.setLong(first, h.seq());
        ps.setTimestamp(first + 1, timestamp(h.atMillis()));
        if (h.cpuPercent() == null || !Double.isFinite(h.cpuPercent())) {
            ps.setNull(first + 2, Types.DOUBLE);
        } else {
            ps.setDouble(first + 2, h.cpuPercent());
        }
        ps.setDouble(first + 3, h.cpuSeconds());
        ps.setLong(first + 4, h.rssBytes());
        ps.setInt(first + 5, h.processCount());
        ps.setInt(first + 6, h.gpus().size());
    }

    /** The GPU model of an attempt, from its first heartbeat that saw GPUs ("2 x NVIDIA H100 80GB HBM3"). */
    private static void writeGpuModels(Connection c, java.util.Collection<RunEvent.Heartbeat> heartbeats)
            throws SQLException {
        List<RunEvent.Heartbeat> withGpus = heartbeats.stream().filter(h -> !h.gpus().isEmpty())
                .sorted(java.util.Comparator.comparingLong(RunEvent.Heartbeat::runId)).toList();
        if (withGpus.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(RUN_GPU_MODEL)) {
            for (RunEvent.Heartbeat h : withGpus) {
                ps.setString(1, dev.reprise.orchestrator.domain.provenance.GpuModels.describe(
                        h.gpus().stream().map(dev.reprise.api.messages.GpuSample::name).toList()));
                ps.setLong(2, h.runId());
                ps.setInt(3, h.attempt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static void writeFinishes(Connection c, List<RunEvent.Finished> finishes) throws SQLException {
        if (finishes.isEmpty()) {
            return;
        }
        try (PreparedStatement report = c.prepareStatement(FINISHED);
                PreparedStatement run = c.prepareStatement(RUN_FINISHED)) {
            for (RunEvent.Finished f : finishes) {
                report.setLong(1, f.runId());
                report.setInt(2, f.attempt());
                report.setTimestamp(3, timestamp(f.finishedAtMillis()));
                report.setInt(4, f.exitCode());
                report.setString(5, f.reason().name());
                if (f.signal() == null) {
                    report.setNull(6, Types.INTEGER);
                } else {
                    report.setInt(6, f.signal());
                }
                report.setString(7, f.message());
                report.addBatch();
                run.setInt(1, f.exitCode());
                run.setString(2, f.reason().name());
                run.setLong(3, f.runId());
                run.setInt(4, f.attempt());
                run.addBatch();
            }
            report.executeBatch();
            run.executeBatch();
        }
    }

    /** The time of an epoch-millisecond instant, as the statements of the ingest bind it. */
    static Timestamp timestamp(long epochMillis) {
        return Timestamp.from(Instant.ofEpochMilli(epochMillis));
    }
}
