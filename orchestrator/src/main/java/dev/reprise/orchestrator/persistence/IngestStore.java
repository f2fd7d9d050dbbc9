package dev.reprise.orchestrator.persistence;

import dev.reprise.api.messages.RunEvent;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes an {@link IngestBatch} in one database transaction, idempotently: points and log lines are copied
 * ({@code COPY ... (FORMAT binary)}) into session-local staging tables and moved with
 * {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING}; summaries and block rollups are updated from the rows that
 * insert actually returned; agent reports only move forward. Writing the same batch twice therefore stores nothing
 * more.
 *
 * <p>The caller decides when the transaction is worth retrying: {@link SQLException}s propagate unchanged.
 */
@ApplicationScoped
public class IngestStore {

    private static final String POINT_STAGE = "ingest_points_stage";
    private static final String LOG_STAGE = "ingest_log_lines_stage";

    private static final String CREATE_POINT_STAGE = "create temp table if not exists " + POINT_STAGE
            + " (run_id bigint, key_id integer, step bigint, attempt integer, seq bigint, ts timestamptz,"
            + " value double precision) on commit delete rows";
    private static final String CREATE_LOG_STAGE = "create temp table if not exists " + LOG_STAGE
            + " (run_id bigint, attempt integer, rank integer, stream smallint, line_no bigint, chunk_seq bigint,"
            + " text text)"
            + " on commit delete rows";

    /**
     * Moves staged points into metric_points, then folds the rows it really inserted into metric_summaries and
     * metric_rollups ({@link MetricRollups}). The "last" point of a key is the one with the highest
     * (attempt, step, seq); each SET expression reads the old row.
     */
    private static final String MOVE_POINTS = """
            with ins as (
                insert into metric_points (run_id, key_id, step, attempt, seq, ts, value)
                select run_id, key_id, step, attempt, seq, ts, value from ingest_points_stage
                order by run_id, key_id, step, attempt, seq
                on conflict do nothing
                returning run_id, key_id, step, attempt, seq, ts, value
            ), agg as (
                select run_id, key_id, count(*) as n, count(*) filter (where value = 'NaN') as nans,
                       min(value) filter (where value <> 'NaN') as lo, max(value) filter (where value <> 'NaN') as hi
                from ins group by run_id, key_id
            ), last as (
                select distinct on (run_id, key_id) run_id, key_id, attempt, step, seq, value, ts
                from ins order by run_id, key_id, attempt desc, step desc, seq desc
            ), up as (
                insert into metric_summaries as s (run_id, key_id, points, nan_points, last_attempt, last_step,
                                                   last_seq, last_value, last_ts, min_value, max_value)
                select a.run_id, a.key_id, a.n, a.nans, l.attempt, l.step, l.seq, l.value, l.ts, a.lo, a.hi
                from agg a join last l on l.run_id = a.run_id and l.key_id = a.key_id
                order by a.run_id, a.key_id
                on conflict (run_id, key_id) do update set
                    points = s.points + excluded.points,
                    nan_points = s.nan_points + excluded.nan_points,
                    min_value = least(s.min_value, excluded.min_value),
                    max_value = greatest(s.max_value, excluded.max_value),
                    last_attempt = case when %1$s then excluded.last_attempt else s.last_attempt end,
                    last_step = case when %1$s then excluded.last_step else s.last_step end,
                    last_seq = case when %1$s then excluded.last_seq else s.last_seq end,
                    last_value = case when %1$s then excluded.last_value else s.last_value end,
                    last_ts = case when %1$s then excluded.last_ts else s.last_ts end
                returning 1
            ), roll as (
                insert into metric_rollups as r (run_id, key_id, attempt, block, points, lowest, highest)
                %2$s
                order by 1, 2, 3, 4
                on conflict (run_id, key_id, attempt, block) do update set
                    points = r.points + excluded.points,
                    lowest = least(r.lowest, excluded.lowest),
                    highest = greatest(r.highest, excluded.highest)
                returning 1
            )
            select (select count(*) from ins), (select count(*) from up), (select count(*) from roll)
            """.formatted("(excluded.last_attempt, excluded.last_step, excluded.last_seq)"
            + " > (s.last_attempt, s.last_step, s.last_seq)", MetricRollups.ROLLUP_ROWS.formatted("ins"));

    private static final String MOVE_LOGS = "insert into run_logs (run_id, attempt, rank, stream, line_no, chunk_seq,"
            + " text) select run_id, attempt, rank, stream, line_no, chunk_seq, text from " + LOG_STAGE
            + " order by run_id, attempt, rank, stream, line_no on conflict do nothing";

    private static final String RANK_STARTED = """
            insert into rank_reports as a (run_id, attempt, rank, agent_id, agent_version, hostname, pid, started_at,
                                            last_seen_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, now())
            on conflict (run_id, attempt, rank) do update set
                agent_id = excluded.agent_id, agent_version = excluded.agent_version, hostname = excluded.hostname,
                pid = excluded.pid, started_at = excluded.started_at,
                last_seen_at = coalesce(a.last_seen_at, excluded.last_seen_at)
            """;

    /** As {@link #HEARTBEAT}, per rank: only a newer heartbeat of the same rank moves it. */
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

    private static final String LAST_STEP = """
            insert into agent_reports as a (run_id, attempt, last_step) values (?, ?, ?)
            on conflict (run_id, attempt) do update set last_step = greatest(a.last_step, excluded.last_step)
            """;

    private static final String WARNING = "insert into ingest_warnings (run_id, attempt, source, origin_seq, reason,"
            + " count, example, at) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";

    private final AgroalDataSource dataSource;
    private final MetricKeyIds keys;

    public IngestStore(AgroalDataSource dataSource, MetricKeyIds keys) {
        this.dataSource = dataSource;
        this.keys = keys;
    }

    /** What one write stored. */
    public record Written(long pointsOffered, long pointsStored, long logLinesOffered, long logLinesStored) {
    }

    /** The ids among {@code runIds} that name existing runs. */
    public Set<Long> existingRuns(Collection<Long> runIds) throws SQLException {
        Set<Long> found = new HashSet<>();
        if (runIds.isEmpty()) {
            return found;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select id from runs where id = any(?)")) {
            Array ids = c.createArrayOf("bigint", runIds.toArray());
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getLong(1));
                }
            }
            ids.free();
        }
        return found;
    }

    /** Writes the batch in one transaction; returns only after the commit. */
    public Written write(IngestBatch batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Map<String, Integer> keyIds = batch.points().isEmpty() ? Map.of()
                    : keys.resolve(c, distinctKeys(batch.points()));
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                long pointsStored = writePoints0(c, batch.points(), keyIds);
                long linesStored = writeLogs(c, batch.logLines());
                lockRuns(c, batch);
                writeStarts(c, batch.starts());
                writeHeartbeats(c, batch.heartbeats());
                writeFinishes(c, batch.finishes());
                writeRankReports(c, batch.rankReports());
                writeLastSteps(c, batch.points());
                writeWarnings(c, batch.warnings());
                writeWarnings(c, writeParams(c, batch.params()));
                c.commit();
                return new Written(batch.points().size(), pointsStored, batch.logLines().size(), linesStored);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /**
     * The ids of the points' keys, inserting unknown ones; call it before the transaction that writes the points
     * ({@link #writePoints(Connection, List, Map)}), as {@link #write} does, so that a rolled-back transaction
     * never leaves a cached id without its row.
     */
    public Map<String, Integer> resolveKeys(Connection c, List<IngestBatch.Point> points) throws SQLException {
        return points.isEmpty() ? Map.of() : keys.resolve(c, distinctKeys(points));
    }

    /**
     * Writes points inside the caller's open transaction (auto-commit off), exactly as {@link #write} does: the same
     * staging, point-identity deduplication, summaries, rollups and last steps. Returns how many were new. For
     * writers that store more than points in the same transaction (the MLflow API's log-batch).
     */
    public long writePoints(Connection c, List<IngestBatch.Point> points, Map<String, Integer> keyIds)
            throws SQLException {
        long stored = writePoints0(c, points, keyIds);
        writeLastSteps(c, points);
        return stored;
    }

    /**
     * Unfinished attempts of runs in one of {@code states} whose newest heartbeat (or start) was stored more than
     * {@code silence} ago, by the database's clock. Only the run's current attempt counts.
     */
    public List<SilentAttempt> silentAttempts(Duration silence, Collection<String> states) throws SQLException {
        List<SilentAttempt> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select a.run_id, a.attempt, a.last_seen_at from agent_reports a
                join runs r on r.id = a.run_id and r.attempt = a.attempt
                where a.finished_at is null and a.last_seen_at < now() - ? * interval '1 millisecond'
                  and r.state = any(?)
                order by a.last_seen_at limit 1000
                """)) {
            ps.setLong(1, silence.toMillis());
            ps.setArray(2, c.createArrayOf("text", states.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SilentAttempt(rs.getLong(1), rs.getInt(2), rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return out;
    }

    /** An attempt whose agent has not been heard from since {@code lastSeen}. */
    public record SilentAttempt(long runId, int attempt, Instant lastSeen) {
    }

    private static Set<String> distinctKeys(List<IngestBatch.Point> points) {
        Set<String> names = new LinkedHashSet<>();
        for (IngestBatch.Point p : points) {
            names.add(p.key());
        }
        return names;
    }

    private static long writePoints0(Connection c, List<IngestBatch.Point> points, Map<String, Integer> keyIds)
            throws SQLException {
        if (points.isEmpty()) {
            return 0;
        }
        try (var st = c.createStatement()) {
            st.execute(CREATE_POINT_STAGE);
        }
        BinaryCopy copy = BinaryCopy.start(c, POINT_STAGE, "run_id, key_id, step, attempt, seq, ts, value");
        try {
            for (IngestBatch.Point p : points) {
                copy.row(7).int8(p.runId()).int4(keyIds.get(p.key())).int8(p.step()).int4(p.attempt())
                        .int8(p.seq()).timestampMillis(p.timestampMillis()).float8(p.value());
            }
            copy.finish();
        } catch (SQLException | RuntimeException e) {
            copy.cancel();
            throw e;
        }
        try (PreparedStatement move = c.prepareStatement(MOVE_POINTS); ResultSet rs = move.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long writeLogs(Connection c, List<IngestBatch.LogLine> lines) throws SQLException {
        if (lines.isEmpty()) {
            return 0;
        }
        try (var st = c.createStatement()) {
            st.execute(CREATE_LOG_STAGE);
        }
        BinaryCopy copy = BinaryCopy.start(c, LOG_STAGE, "run_id, attempt, rank, stream, line_no, chunk_seq, text");
        try {
            for (IngestBatch.LogLine l : lines) {
                copy.row(7).int8(l.runId()).int4(l.attempt()).int4(l.rank()).int2(l.stream()).int8(l.lineNo())
                        .int8(l.chunkSeq()).text(l.text());
            }
            copy.finish();
        } catch (SQLException | RuntimeException e) {
            copy.cancel();
            throw e;
        }
        try (PreparedStatement move = c.prepareStatement(MOVE_LOGS)) {
            return move.executeUpdate();
        }
    }

    /**
     * Locks the runs rows this batch updates (agent version, GPU model, exit code) in ascending id order before any
     * of them changes ({@link RunRepository#LOCK_ORDER}): updating them in the order the reports arrived could
     * deadlock with a sweep's cancel, which locks the same rows in id order.
     */
    private static void lockRuns(Connection c, IngestBatch batch) throws SQLException {
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

    private static void writeStarts(Connection c, List<RunEvent.Started> starts) throws SQLException {
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
    private static void writeHeartbeats(Connection c, List<RunEvent.Heartbeat> heartbeats) throws SQLException {
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
    private static void bindBeat(PreparedStatement ps, int first, RunEvent.Heartbeat h) throws SQLException {
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

    private static void writeFinishes(Connection c, List<RunEvent.Finished> finishes) throws SQLException {
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

    /**
     * Each rank's start, newest heartbeat and finish, in (run, attempt, rank) order so that concurrent writers
     * cannot deadlock on the rows.
     */
    private static void writeRankReports(Connection c, List<IngestBatch.RankReport> reports) throws SQLException {
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
                bindBeat(ps, 4, h);
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

    private static final java.util.Comparator<List<Long>> RANK_ORDER = java.util.Comparator
            .<List<Long>, Long>comparing(k -> k.get(0)).thenComparing(k -> k.get(1)).thenComparing(k -> k.get(2));

    /**
     * Ranks other than 0 (rank 0's silence is the run's, {@link #silentAttempts}) of unfinished current attempts of
     * runs in one of {@code states} whose newest heartbeat (or start) was stored more than {@code silence} ago.
     */
    public List<SilentRank> silentRanks(Duration silence, Collection<String> states) throws SQLException {
        List<SilentRank> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select a.run_id, a.attempt, a.rank, a.hostname, a.last_seen_at from rank_reports a
                join runs r on r.id = a.run_id and r.attempt = a.attempt
                where a.rank > 0 and a.finished_at is null and a.last_seen_at < now() - ? * interval '1 millisecond'
                  and r.state = any(?)
                order by a.last_seen_at limit 1000
                """)) {
            ps.setLong(1, silence.toMillis());
            ps.setArray(2, c.createArrayOf("text", states.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SilentRank(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant()));
                }
            }
        }
        return out;
    }

    /** A rank of a distributed attempt whose agent has not been heard from since {@code lastSeen}. */
    public record SilentRank(long runId, int attempt, int rank, String hostname, Instant lastSeen) {
    }

    /** The highest step of the user's (not system) keys per attempt. */
    private static void writeLastSteps(Connection c, List<IngestBatch.Point> points) throws SQLException {
        Map<List<Long>, Long> highest = new HashMap<>();
        for (IngestBatch.Point p : points) {
            if (!p.system()) {
                highest.merge(List.of(p.runId(), (long) p.attempt()), p.step(), Math::max);
            }
        }
        if (highest.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(LAST_STEP)) {
            for (Map.Entry<List<Long>, Long> e : highest.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(java.util.Comparator.<List<Long>, Long>comparing(k -> k.get(0))
                            .thenComparing(k -> k.get(1))))
                    .toList()) {
                ps.setLong(1, e.getKey().get(0));
                ps.setInt(2, e.getKey().get(1).intValue());
                ps.setLong(3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Why a param logged through the agent was not stored (ingest warnings, with the key and both values). */
    public static final String PARAM_CHANGED = "param logged again with another value: params are immutable once "
            + "set, the first value is kept";

    /**
     * Stores logged params as the MLflow API's log-parameter does (run_params, immutable once set; a launched run's
     * sweep-given parameters count as set). A key logged again with another value is refused, key by key: the
     * returned warnings say which, and nothing is overwritten. Events are applied in (run, attempt, seq) order, so
     * the first value logged wins; a redelivered event changes nothing and warns once (the warning's identity is
     * the event's seq).
     */
    static List<IngestBatch.Warning> writeParams(Connection c, List<IngestBatch.Params> params) throws SQLException {
        List<IngestBatch.Warning> refused = new ArrayList<>();
        if (params.isEmpty()) {
            return refused;
        }
        Map<Long, Map<?, ?>> given = sweepParameters(c, params.stream().map(IngestBatch.Params::runId).toList());
        List<IngestBatch.Params> ordered = params.stream().sorted(java.util.Comparator
                .comparingLong(IngestBatch.Params::runId).thenComparingInt(IngestBatch.Params::attempt)
                .thenComparingLong(IngestBatch.Params::seq)).toList();
        try (PreparedStatement insert = c.prepareStatement("insert into run_params (run_id, key, value, logged_at) "
                + "select ?, k, v, ? from unnest(?::text[], ?::text[]) as x(k, v) order by k "
                + "on conflict (run_id, key) do nothing");
                PreparedStatement stored = c.prepareStatement(
                        "select key, value from run_params where run_id = ? and key = any(?)")) {
            for (IngestBatch.Params p : ordered) {
                Map<String, String> conflicts = new java.util.TreeMap<>(dev.reprise.orchestrator.domain.mlflow
                        .ParamImmutability.sweepConflicts(given.getOrDefault(p.runId(), Map.of()), p.values()));
                Map<String, String> fresh = new java.util.LinkedHashMap<>(p.values());
                fresh.keySet().removeAll(conflicts.keySet());
                if (!fresh.isEmpty()) {
                    insert.setLong(1, p.runId());
                    insert.setTimestamp(2, timestamp(p.atMillis()));
                    insert.setArray(3, c.createArrayOf("text", fresh.keySet().toArray()));
                    insert.setArray(4, c.createArrayOf("text", fresh.values().toArray()));
                    insert.executeUpdate();
                    stored.setLong(1, p.runId());
                    stored.setArray(2, c.createArrayOf("text", fresh.keySet().toArray()));
                    try (ResultSet rs = stored.executeQuery()) {
                        while (rs.next()) {
                            if (!rs.getString(2).equals(fresh.get(rs.getString(1)))) {
                                conflicts.put(rs.getString(1), rs.getString(2));
                            }
                        }
                    }
                }
                if (!conflicts.isEmpty()) {
                    Map.Entry<String, String> first = conflicts.entrySet().iterator().next();
                    refused.add(new IngestBatch.Warning(p.runId(), p.attempt(), IngestBatch.Source.INGEST, p.seq(),
                            PARAM_CHANGED, conflicts.size(), shorten(first.getKey() + ": kept '" + first.getValue()
                                    + "', refused '" + p.values().get(first.getKey()) + "'"), p.atMillis()));
                }
            }
        }
        return refused;
    }

    /** Each run's sweep-given parameters (empty for runs an MLflow client created: those have none of their own). */
    private static Map<Long, Map<?, ?>> sweepParameters(Connection c, List<Long> runIds) throws SQLException {
        Map<Long, Map<?, ?>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, parameters::text from runs where id = any(?) "
                + "and executor is distinct from 'mlflow'")) {
            ps.setArray(1, c.createArrayOf("bigint", new LinkedHashSet<>(runIds).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(2) != null) {
                        out.put(rs.getLong(1), CanonicalJson.read(rs.getString(2), Map.class));
                    }
                }
            }
        }
        return out;
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    private static void writeWarnings(Connection c, List<IngestBatch.Warning> warnings) throws SQLException {
        if (warnings.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(WARNING)) {
            for (IngestBatch.Warning w : warnings) {
                ps.setLong(1, w.runId());
                ps.setInt(2, w.attempt());
                ps.setString(3, w.source().column());
                ps.setLong(4, w.originSeq());
                ps.setString(5, w.reason());
                ps.setLong(6, w.count());
                ps.setString(7, w.example());
                ps.setTimestamp(8, timestamp(w.atMillis()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Timestamp timestamp(long epochMillis) {
        return Timestamp.from(Instant.ofEpochMilli(epochMillis));
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
