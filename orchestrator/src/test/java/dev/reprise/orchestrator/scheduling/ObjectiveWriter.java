package dev.reprise.orchestrator.scheduling;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Writes metric points and summaries straight into PostgreSQL, as the ingest would, for search-side tests. */
@ApplicationScoped
public class ObjectiveWriter {

    private final AgroalDataSource dataSource;
    private final AtomicLong seq = new AtomicLong();

    public ObjectiveWriter(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(long runId, int attempt, String key, long step, double value) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement k = c.prepareStatement(
                    "insert into metric_keys (name) values (?) on conflict (name) do nothing")) {
                k.setString(1, key);
                k.executeUpdate();
            }
            long s = seq.incrementAndGet();
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement p = c.prepareStatement("insert into metric_points (run_id, key_id, step, attempt, "
                    + "seq, ts, value) select ?, id, ?, ?, ?, ?, ? from metric_keys where name = ?")) {
                p.setLong(1, runId);
                p.setLong(2, step);
                p.setInt(3, attempt);
                p.setLong(4, s);
                p.setTimestamp(5, now);
                p.setDouble(6, value);
                p.setString(7, key);
                p.executeUpdate();
            }
            try (PreparedStatement u = c.prepareStatement("insert into metric_summaries (run_id, key_id, points, "
                    + "nan_points, last_attempt, last_step, last_seq, last_value, last_ts, min_value, max_value) "
                    + "select ?, id, 1, 0, ?, ?, ?, ?, ?, ?, ? from metric_keys where name = ? "
                    + "on conflict (run_id, key_id) do update set points = metric_summaries.points + 1, "
                    + "last_attempt = excluded.last_attempt, last_step = excluded.last_step, "
                    + "last_seq = excluded.last_seq, last_value = excluded.last_value, last_ts = excluded.last_ts, "
                    + "min_value = least(metric_summaries.min_value, excluded.min_value), "
                    + "max_value = greatest(metric_summaries.max_value, excluded.max_value)")) {
                u.setLong(1, runId);
                u.setInt(2, attempt);
                u.setLong(3, step);
                u.setLong(4, s);
                u.setDouble(5, value);
                u.setTimestamp(6, now);
                u.setDouble(7, value);
                u.setDouble(8, value);
                u.setString(9, key);
                u.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The agent's report that the attempt finished, as the ingest stores it (it comes after the last metric). */
    public void agentFinished(long runId, int attempt) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into agent_reports (run_id, attempt, finished_at, exit_code) values (?, ?, now(), 0) "
                        + "on conflict (run_id, attempt) do update set finished_at = excluded.finished_at, "
                        + "exit_code = excluded.exit_code")) {
            ps.setLong(1, runId);
            ps.setInt(2, attempt);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
