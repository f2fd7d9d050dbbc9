package dev.reprise.orchestrator.persistence;

import dev.reprise.orchestrator.domain.metrics.Downsampling;
import dev.reprise.orchestrator.domain.metrics.Downsampling.BlockSpan;
import dev.reprise.orchestrator.persistence.MetricRollups;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads what the ingest stored: key summaries, series (downsampled on request), log lines, agent reports. */
@ApplicationScoped
public class MetricsQuery {

    private static final String RANGE = " where run_id = ? and key_id = ? and step between ? and ? and attempt = ?";

    private final AgroalDataSource dataSource;
    private final MetricKeyIds keys;

    public MetricsQuery(AgroalDataSource dataSource, MetricKeyIds keys) {
        this.dataSource = dataSource;
        this.keys = keys;
    }

    /** The summary of one key of a run. */
    public record KeySummary(String key, long points, long nanPoints, int lastAttempt, long lastStep, long lastSeq,
                             double lastValue, Instant lastAt, Double min, Double max) {
    }

    /** What the agent of one attempt reported. */
    public record AgentReport(int attempt, String agentId, String agentVersion, String hostname, Long pid,
                              Instant startedAt, Instant lastHeartbeatAt, Instant lastSeenAt, Double cpuPercent,
                              Double cpuSeconds, Long rssBytes, Integer processCount, Integer gpuCount, Long lastStep,
                              Instant finishedAt, Integer exitCode, String stopReason, Integer signal,
                              String message) {
    }

    /** Refused input of one kind, summed over the run. */
    public record WarningSummary(String source, String reason, long count, String example, Instant lastAt) {
    }

    public record RunMetrics(List<KeySummary> keys, List<AgentReport> attempts, List<WarningSummary> warnings) {
    }

    /** One stored point of a series. */
    public record SeriesPoint(long step, long seq, double value, Instant at) {
    }

    /** A series range as answered: {@code total} points in range, {@code points} as returned. */
    public record Series(String key, int attempt, Long firstStep, Long lastStep, long total, boolean downsampled,
                         List<SeriesPoint> points) {
    }

    public record LogLine(int attempt, int stream, long lineNo, String text) {
    }

    /**
     * A page of log lines of one attempt (and rank of a distributed trial); {@code complete} once the attempt (the
     * rank) ended and nothing more will come.
     */
    public record LogPage(int attempt, int rank, List<LogLine> lines, long total, boolean complete) {
    }

    public RunMetrics runMetrics(long runId) {
        try (Connection c = dataSource.getConnection()) {
            List<KeySummary> summaries = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select k.name, s.points, s.nan_points, s.last_attempt, s.last_step, s.last_seq, s.last_value,
                           s.last_ts, s.min_value, s.max_value
                    from metric_summaries s join metric_keys k on k.id = s.key_id
                    where s.run_id = ?""")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        summaries.add(new KeySummary(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getInt(4),
                                rs.getLong(5), rs.getLong(6), rs.getDouble(7), instant(rs.getTimestamp(8)),
                                nullableDouble(rs, 9), nullableDouble(rs, 10)));
                    }
                }
            }
            summaries.sort(Comparator.comparing(KeySummary::key));
            return new RunMetrics(summaries, reports(c, runId), warnings(c, runId));
        } catch (SQLException e) {
            throw new QueryException(e);
        }
    }

    /**
     * The points of a key in [from, to] of one attempt (default: the attempt of the key's last point, with the steps
     * before its checkpoint from the attempts it resumed from, see {@link #segments}), at full resolution or
     * downsampled to at most {@code maxPoints}. Empty when the run has no such key.
     */
    public Optional<Series> series(long runId, String key, Integer attempt, Long from, Long to, int maxPoints) {
        try (Connection c = dataSource.getConnection()) {
            Optional<Integer> keyId = keys.find(c, key);
            if (keyId.isEmpty()) {
                return Optional.empty();
            }
            Integer lastAttempt = lastAttempt(c, runId, keyId.get());
            if (lastAttempt == null) {
                return Optional.empty();
            }
            int att = attempt == null ? lastAttempt : attempt;
            long lo = from == null ? 0 : from;
            long hi = to == null ? Long.MAX_VALUE : to;
            if (attempt == null) {
                List<Segment> segments = segments(c, runId, att, lo, hi);
                if (segments.size() > 1 || !segments.isEmpty() && segments.get(0).attempt() != att) {
                    return Optional.of(stitched(c, runId, key, keyId.get(), att, segments, maxPoints));
                }
            }
            return Optional.of(attemptSeries(c, runId, key, keyId.get(), att, lo, hi, maxPoints));
        } catch (SQLException e) {
            throw new QueryException(e);
        }
    }

    /** Steps [lo, hi] of a series come from {@code attempt}. */
    private record Segment(int attempt, long lo, long hi) {
    }

    /**
     * Where the steps of attempt {@code att}'s series come from: an attempt that resumed from a checkpoint of step
     * s (docs/checkpoints.md) gives the steps after s, and the attempt that wrote the checkpoint the steps up to s,
     * and so on back to an attempt that started from scratch. Each step so comes from exactly one attempt: points a
     * resumed attempt logs again for steps it restored, and points an attempt logged after its last stored
     * checkpoint, are not in the run's curve.
     */
    private static List<Segment> segments(Connection c, long runId, int att, long lo, long hi) throws SQLException {
        java.util.Map<Integer, CheckpointRepository.Resume> resumes = new java.util.HashMap<>();
        CheckpointRepository.resumes(c, runId).forEach(r -> resumes.put(r.attempt(), r));
        List<Segment> out = new ArrayList<>();
        long upper = hi;
        int a = att;
        while (upper >= lo) {
            CheckpointRepository.Resume r = resumes.get(a);
            if (r == null || r.fromAttempt() >= a) {
                out.add(new Segment(a, lo, upper));
                break;
            }
            if (r.step() < upper) {
                out.add(new Segment(a, Math.max(lo, r.step() + 1), upper));
            }
            upper = Math.min(upper, r.step());
            a = r.fromAttempt();
        }
        java.util.Collections.reverse(out);
        return out;
    }

    private static Series stitched(Connection c, long runId, String key, int keyId, int att, List<Segment> segments,
            int maxPoints) throws SQLException {
        List<SeriesPoint> points = new ArrayList<>();
        Long first = null;
        Long last = null;
        long total = 0;
        boolean downsampled = false;
        for (Segment s : segments) {
            Series part = attemptSeries(c, runId, key, keyId, s.attempt(), s.lo(), s.hi(),
                    Math.max(2, maxPoints / segments.size()));
            if (part.firstStep() == null) {
                continue;
            }
            first = first == null ? part.firstStep() : first;
            last = part.lastStep();
            total += part.total();
            downsampled |= part.downsampled();
            points.addAll(part.points());
        }
        return new Series(key, att, first, last, total, downsampled, points);
    }

    private static Series attemptSeries(Connection c, long runId, String key, int keyId, int att, long lo, long hi,
            int maxPoints) throws SQLException {
        Optional<Integer> keyIdBox = Optional.of(keyId);
        {
            Long first;
            Long last;
            // two index probes, not a scan; the point count comes from the block rollups
            try (PreparedStatement ps = c.prepareStatement("select (select min(step) from metric_points" + RANGE
                    + "), (select max(step) from metric_points" + RANGE + ")")) {
                bind(ps, runId, keyIdBox.get(), lo, hi, att, runId, keyIdBox.get(), lo, hi, att);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    first = nullableLong(rs, 1);
                    last = nullableLong(rs, 2);
                }
            }
            if (first == null) {
                return new Series(key, att, null, null, 0, false, List.of());
            }
            // wide ranges: one pass over the rollups gives the buckets and the count; narrow ones: count, then the
            // raw points (at most about 64 a bucket) when they do not fit
            Downsampling.EqualSteps equalSteps = Downsampling.of(first, last, maxPoints);
            Optional<Downsampling.WholeBlocks> wholeBlocks = Downsampling.inWholeBlocks(first, last, maxPoints,
                    MetricRollups.BLOCK_SHIFT);
            Buckets buckets = wholeBlocks.isPresent() ? rollupBuckets(c, runId, keyIdBox.get(), att, wholeBlocks.get())
                    : null;
            long total = buckets != null ? buckets.points()
                    : count(c, runId, keyIdBox.get(), att, BlockSpan.of(first, last, MetricRollups.BLOCK_SHIFT));
            if (equalSteps.fullResolution(total)) {
                return new Series(key, att, first, last, total, false,
                        fullResolution(c, runId, keyIdBox.get(), att, lo, hi));
            }
            List<SeriesPoint> points = buckets != null ? buckets.lowAndHigh()
                    : minMaxBuckets(c, runId, keyIdBox.get(), att, equalSteps);
            return new Series(key, att, first, last, total, true, points);
        }
    }

    /**
     * Log lines of one attempt (default: the newest attempt that shipped any). With a stream: that stream's lines
     * from line {@code fromLine} on, by line number; without: both streams in the order the agent shipped them.
     * {@code rank}: the node rank of a distributed trial whose lines are read (0: the run's own, rank 0's).
     */
    public LogPage logs(long runId, Integer attempt, int rank, Integer stream, Long fromLine, int page, int size) {
        try (Connection c = dataSource.getConnection()) {
            int att = attempt != null ? attempt : newestLogAttempt(c, runId);
            String filter = " where run_id = ? and attempt = ? and rank = ?" + (stream == null ? ""
                    : " and stream = ?") + (fromLine == null ? "" : " and line_no >= ?");
            List<Object> args = new ArrayList<>(List.of(runId, att, rank));
            if (stream != null) {
                args.add(stream);
            }
            if (fromLine != null) {
                args.add(fromLine);
            }
            long total;
            try (PreparedStatement ps = c.prepareStatement("select count(*) from run_logs" + filter)) {
                bind(ps, args.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<LogLine> lines = new ArrayList<>();
            String order = stream == null ? " order by chunk_seq, stream, line_no" : " order by line_no";
            try (PreparedStatement ps = c.prepareStatement("select stream, line_no, text from run_logs" + filter
                    + order + " limit ? offset ?")) {
                args.add(size);
                args.add((long) page * size);
                bind(ps, args.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lines.add(new LogLine(att, rs.getInt(1), rs.getLong(2), rs.getString(3)));
                    }
                }
            }
            return new LogPage(att, rank, lines, total, attemptComplete(c, runId, att, rank));
        } catch (SQLException e) {
            throw new QueryException(e);
        }
    }

    private static Integer lastAttempt(Connection c, long runId, int keyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select last_attempt from metric_summaries where run_id = ? and key_id = ?")) {
            bind(ps, runId, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    private static List<SeriesPoint> fullResolution(Connection c, long runId, int keyId, int attempt, long lo,
            long hi) throws SQLException {
        List<SeriesPoint> points = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select step, seq, value, ts from metric_points"
                + " where run_id = ? and key_id = ? and step between ? and ? and attempt = ? order by step, seq")) {
            bind(ps, runId, keyId, lo, hi, attempt);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    points.add(new SeriesPoint(rs.getLong(1), rs.getLong(2), rs.getDouble(3),
                            rs.getTimestamp(4).toInstant()));
                }
            }
        }
        return points;
    }

    /**
     * How many points [first, last] holds: the rollups' counts for the whole blocks, the raw points of the first and
     * last block. Used for ranges of fewer blocks than buckets, so at most that many small rows and 128 points.
     */
    private static long count(Connection c, long runId, int keyId, int attempt, BlockSpan span) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select coalesce((select sum(points) from metric_rollups"
                + " where run_id = ? and key_id = ? and attempt = ? and block > ? and block < ?), 0)"
                + " + (select count(*) from metric_points" + RANGE + ")"
                + " + (select count(*) from metric_points" + RANGE + ")")) {
            bind(ps, runId, keyId, attempt, span.firstBlock(), span.lastBlock(),
                    runId, keyId, span.firstStep(), span.headEnd(), attempt,
                    runId, keyId, tailFrom(span), tailTo(span), attempt);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The tail block's raw range; an empty range (1 to 0) when both ends fall in one block. */
    private static long tailFrom(BlockSpan span) {
        return span.hasTail() ? span.tailStart() : 1;
    }

    private static long tailTo(BlockSpan span) {
        return span.hasTail() ? span.lastStep() : 0;
    }

    /** Points in a range, and each bucket's lowest and highest point. */
    private record Buckets(long points, List<SeriesPoint> lowAndHigh) {
    }

    /**
     * Min/max buckets of whole blocks: the rollup rows of the blocks strictly inside the range and the raw points of
     * the first and last block, each put in its block's bucket, then per bucket the number of points and the lowest
     * and highest float8 array [value, step, seq, epoch ms] (compared element by element, as the rollups were built).
     */
    private static Buckets rollupBuckets(Connection c, long runId, int keyId, int attempt,
            Downsampling.WholeBlocks plan) throws SQLException {
        BlockSpan span = plan.span();
        String bucket = "least(floor((%s - ?)::float8 * ? / ?::float8)::int, ? - 1)";
        List<SeriesPoint> points = new ArrayList<>();
        long total = 0;
        try (PreparedStatement ps = c.prepareStatement("select b, min(lo), max(hi), sum(n) from ("
                + " select " + bucket.formatted("block") + " as b, lowest as lo, highest as hi, points as n"
                + " from metric_rollups"
                + " where run_id = ? and key_id = ? and attempt = ? and block > ? and block < ?"
                + " union all"
                + " select " + bucket.formatted("(step >> " + span.shift() + ")") + ", p, p, 1 from ("
                + "  select step, " + MetricRollups.POINT + " as p from metric_points"
                + "  where run_id = ? and key_id = ? and attempt = ? and (step between ? and ? or step between ? and ?)"
                + " ) e) x group by b order by b")) {
            bind(ps, span.firstBlock(), plan.buckets(), span.blocks(), plan.buckets(),
                    runId, keyId, attempt, span.firstBlock(), span.lastBlock(),
                    span.firstBlock(), plan.buckets(), span.blocks(), plan.buckets(),
                    runId, keyId, attempt, span.firstStep(), span.headEnd(), tailFrom(span), tailTo(span));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    addLowAndHigh(points, (Double[]) rs.getArray(2).getArray(), (Double[]) rs.getArray(3).getArray());
                    total += rs.getLong(4);
                }
            }
        }
        return new Buckets(total, points);
    }

    /**
     * One pass over the raw points of the range in PostgreSQL: per bucket of equal step width, the lowest and
     * highest point as float8 arrays [value, step, seq, epoch ms], compared element by element (steps and seqs are
     * exact up to 2^53). For ranges spanning fewer blocks than buckets, so at most about 64 points per bucket.
     */
    private static List<SeriesPoint> minMaxBuckets(Connection c, long runId, int keyId, int attempt,
            Downsampling.EqualSteps plan) throws SQLException {
        List<SeriesPoint> points = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select b, min(p) as lo, max(p) as hi from (
                    select least(floor((step - ?)::float8 * ? / (?::float8 - ?::float8 + 1))::int, ? - 1) as b,
                           %s as p
                    from metric_points
                    where run_id = ? and key_id = ? and step between ? and ? and attempt = ?
                ) x group by b order by b""".formatted(MetricRollups.POINT))) {
            bind(ps, plan.firstStep(), plan.buckets(), plan.lastStep(), plan.firstStep(), plan.buckets(), runId,
                    keyId, plan.firstStep(), plan.lastStep(), attempt);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    addLowAndHigh(points, (Double[]) rs.getArray(2).getArray(), (Double[]) rs.getArray(3).getArray());
                }
            }
        }
        return points;
    }

    /** A bucket's lowest and highest point in step order, once when they are the same point. */
    private static void addLowAndHigh(List<SeriesPoint> points, Double[] lowest, Double[] highest) {
        SeriesPoint low = point(lowest);
        SeriesPoint high = point(highest);
        boolean same = low.step() == high.step() && low.seq() == high.seq();
        if (same) {
            points.add(low);
        } else if (low.step() < high.step() || low.step() == high.step() && low.seq() < high.seq()) {
            points.add(low);
            points.add(high);
        } else {
            points.add(high);
            points.add(low);
        }
    }

    private static SeriesPoint point(Double[] p) {
        return new SeriesPoint(p[1].longValue(), p[2].longValue(), p[0], Instant.ofEpochMilli(Math.round(p[3])));
    }

    private static List<AgentReport> reports(Connection c, long runId) throws SQLException {
        List<AgentReport> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select attempt, agent_id, agent_version, hostname, pid, started_at, last_heartbeat_at, last_seen_at,
                       cpu_percent, cpu_seconds, rss_bytes, process_count, gpu_count, last_step, finished_at,
                       exit_code, stop_reason, signal, message
                from agent_reports where run_id = ? order by attempt desc""")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AgentReport(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            nullableLong(rs, 5), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)),
                            instant(rs.getTimestamp(8)), nullableDouble(rs, 9), nullableDouble(rs, 10),
                            nullableLong(rs, 11), nullableInt(rs, 12), nullableInt(rs, 13), nullableLong(rs, 14),
                            instant(rs.getTimestamp(15)), nullableInt(rs, 16), rs.getString(17), nullableInt(rs, 18),
                            rs.getString(19)));
                }
            }
        }
        return out;
    }

    /**
     * The run's warnings: keys refused at the agent or the ingest, output lines not shipped, reports dropped, each
     * with its count. Stored logs and metrics are never short without one of these.
     */
    public List<WarningSummary> warnings(long runId) {
        try (Connection c = dataSource.getConnection()) {
            return warnings(c, runId);
        } catch (SQLException e) {
            throw new QueryException(e);
        }
    }

    /**
     * Params the training code logged (reprise.log_params through the agent, MLflow's log-parameter), by name:
     * immutable once set, so this is their first and only value.
     */
    public Map<String, String> loggedParams(long runId) {
        Map<String, String> out = new java.util.TreeMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select key, value from run_params where run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new QueryException(e);
        }
        return out;
    }

    private static List<WarningSummary> warnings(Connection c, long runId) throws SQLException {
        List<WarningSummary> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select source, reason, sum(count), (array_agg(example order by at, origin_seq))[1], max(at)
                from ingest_warnings where run_id = ? group by source, reason order by source, reason""")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new WarningSummary(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            instant(rs.getTimestamp(5))));
                }
            }
        }
        return out;
    }

    private static int newestLogAttempt(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select coalesce((select max(attempt) from run_logs"
                + " where run_id = ?), (select attempt from runs where id = ?), 0)")) {
            bind(ps, runId, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The agent reported the end of the attempt, or the run ended (or moved on to a later attempt). */
    /**
     * One rank of a distributed attempt as its agent reported it: {@code state} is {@code RUNNING} until the agent
     * reported its end, then {@code EXITED}; {@code exitCode} and {@code stopReason} are the agent's.
     */
    public record RankState(int rank, String state, String hostname, Integer exitCode, String stopReason,
            Instant startedAt, Instant lastHeartbeatAt, Instant finishedAt, String gpuModel, Double cpuPercent,
            Long rssBytes, String message, String agentVersion) {
    }

    /** The reported ranks of one attempt, by rank; empty for an ordinary trial. */
    public List<RankState> ranks(long runId, int attempt) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select rank, hostname, exit_code, stop_reason, started_at, last_heartbeat_at, finished_at, gpu_model,
                       cpu_percent, rss_bytes, message, agent_version
                from rank_reports where run_id = ? and attempt = ? order by rank""")) {
            bind(ps, runId, attempt);
            List<RankState> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant finished = instant(rs.getTimestamp(7));
                    out.add(new RankState(rs.getInt(1), finished == null ? "RUNNING" : "EXITED", rs.getString(2),
                            (Integer) rs.getObject(3), rs.getString(4), instant(rs.getTimestamp(5)),
                            instant(rs.getTimestamp(6)), finished, rs.getString(8), (Double) rs.getObject(9),
                            (Long) rs.getObject(10), rs.getString(11), rs.getString(12)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new QueryException(e);
        }
    }

    private static boolean attemptComplete(Connection c, long runId, int attempt, int rank) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select (? = 0 and exists (select 1 from agent_reports where run_id = ? and attempt = ?
                                          and finished_at is not null))
                    or exists (select 1 from rank_reports where run_id = ? and attempt = ? and rank = ?
                               and finished_at is not null)
                    or exists (select 1 from runs where id = ? and (attempt > ? or state in
                        ('SUCCEEDED', 'FAILED', 'CANCELLED', 'LOST', 'STOPPED_EARLY')))""")) {
            bind(ps, rank, runId, attempt, runId, attempt, rank, runId, attempt);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** A database failure while reading; the API answers 500 (logged once by the problem mapper). */
    public static final class QueryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        QueryException(SQLException cause) {
            super("metrics query failed", cause);
        }
    }
}
