package dev.reprise.orchestrator.api;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Writes metric summaries straight into PostgreSQL, as the ingest would after storing a run's points: tests of the
 * table queries then control every value (NaN included) without waiting for Kafka. The ingest path itself is
 * exercised end to end by the browser tests.
 */
@ApplicationScoped
public class MetricSummaries {

    private final AgroalDataSource dataSource;

    public MetricSummaries(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The interned id of a metric key, created when missing. */
    public int keyId(String key) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into metric_keys (name) values (?) on conflict (name) do nothing")) {
                ps.setString(1, key);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("select id from metric_keys where name = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A summary whose last value is {@code last}, over {@code points} points ending at step points - 1. */
    public void put(long runId, String key, double last, Double min, Double max, long points) {
        int keyId = keyId(key);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into metric_summaries (run_id, key_id, points, nan_points, last_attempt, last_step, last_seq,
                                              last_value, last_ts, min_value, max_value)
                values (?, ?, ?, 0, 0, ?, ?, ?, now(), ?, ?)
                on conflict (run_id, key_id) do update set last_value = excluded.last_value,
                    min_value = excluded.min_value, max_value = excluded.max_value, points = excluded.points""")) {
            ps.setLong(1, runId);
            ps.setInt(2, keyId);
            ps.setLong(3, points);
            ps.setLong(4, points - 1);
            ps.setLong(5, points - 1);
            ps.setDouble(6, last);
            ps.setObject(7, min);
            ps.setObject(8, max);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void put(long runId, String key, double last) {
        put(runId, key, last, Double.isNaN(last) ? null : last, Double.isNaN(last) ? null : last, 10);
    }
}
