package dev.reprise.orchestrator.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes an {@link IngestBatch} in one database transaction, idempotently, each part by its writer: points
 * ({@link PointWriter}: staged by binary COPY, moved with {@code ON CONFLICT DO NOTHING}, summaries and block rollups
 * from the rows really inserted), log lines ({@link LogLineWriter}), the agents' reports of the run
 * ({@link AgentReportWriter}: only forward) and of each rank ({@link RankReportWriter}), logged params
 * ({@link ParamWriter}: immutable once set) and warnings ({@link IngestWarningWriter}). Writing the same batch twice
 * therefore stores nothing more.
 *
 * <p>The caller decides when the transaction is worth retrying: {@link SQLException}s propagate unchanged.
 */
@ApplicationScoped
public class IngestStore {

    /** Why a param logged through the agent was not stored (ingest warnings, with the key and both values). */
    public static final String PARAM_CHANGED = ParamWriter.PARAM_CHANGED;

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
                    : keys.resolve(c, PointWriter.distinctKeys(batch.points()));
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                long pointsStored = PointWriter.write(c, batch.points(), keyIds);
                long linesStored = LogLineWriter.write(c, batch.logLines());
                AgentReportWriter.lockRuns(c, batch);
                AgentReportWriter.writeStarts(c, batch.starts());
                AgentReportWriter.writeHeartbeats(c, batch.heartbeats());
                AgentReportWriter.writeFinishes(c, batch.finishes());
                RankReportWriter.write(c, batch.rankReports());
                PointWriter.writeLastSteps(c, batch.points());
                IngestWarningWriter.write(c, batch.warnings());
                IngestWarningWriter.write(c, ParamWriter.write(c, batch.params()));
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
        return points.isEmpty() ? Map.of() : keys.resolve(c, PointWriter.distinctKeys(points));
    }

    /**
     * Writes points inside the caller's open transaction (auto-commit off), exactly as {@link #write} does: the same
     * staging, point-identity deduplication, summaries, rollups and last steps. Returns how many were new. For
     * writers that store more than points in the same transaction (the MLflow API's log-batch).
     */
    public long writePoints(Connection c, List<IngestBatch.Point> points, Map<String, Integer> keyIds)
            throws SQLException {
        long stored = PointWriter.write(c, points, keyIds);
        PointWriter.writeLastSteps(c, points);
        return stored;
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
