package dev.reprise.orchestrator.messaging;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What the database holds for a run, read straight from PostgreSQL. */
@ApplicationScoped
public class StoredPoints {

    private final AgroalDataSource dataSource;

    public StoredPoints(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One stored row of metric_points. */
    public record Row(String key, long step, int attempt, long seq, double value) {
    }

    /** Every point of the run, user keys and {@code sys/} keys alike, ordered by key, step, attempt, seq. */
    public List<Row> of(long runId) {
        return query("select k.name, p.step, p.attempt, p.seq, p.value from metric_points p"
                + " join metric_keys k on k.id = p.key_id where p.run_id = ? order by 1, 2, 3, 4", runId);
    }

    /** The run's points under user keys (not {@code sys/}). */
    public List<Row> userPoints(long runId) {
        return of(runId).stream().filter(r -> !r.key().startsWith("sys/")).toList();
    }

    public long count(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void execute(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Row> query(String sql, long runId) {
        List<Row> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getLong(4), rs.getDouble(5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
