package dev.reprise.orchestrator.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
                long pointsStored = PointWrites.write(c, batch.points(), keyIds);
                long linesStored = LogLineWrites.writeLogs(c, batch.logLines());
                AgentReportWrites.lockRuns(c, batch);
                AgentReportWrites.writeStarts(c, batch.starts());
                AgentReportWrites.writeHeartbeats(c, batch.heartbeats());
                AgentReportWrites.writeFinishes(c, batch.finishes());
                PointWrites.writeLastSteps(c, batch.points());
                IngestWarnings.writeWarnings(c, batch.warnings());
                IngestWarnings.writeWarnings(c, LoggedParamWrites.writeParams(c, batch.params()));
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
        long stored = PointWrites.write(c, points, keyIds);
        PointWrites.writeLastSteps(c, points);
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

    /** Why a param logged through the agent was not stored (ingest warnings, with the key and both values). */
    public static final String PARAM_CHANGED = "param logged again with another value: params are immutable once "
            + "set, the first value is kept";

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
