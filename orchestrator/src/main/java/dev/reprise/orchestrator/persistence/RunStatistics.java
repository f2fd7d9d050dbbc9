package dev.reprise.orchestrator.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Counts of runs by queue, state and failure cause: what the operations metrics export. One grouped statement. */
@ApplicationScoped
public class RunStatistics {

    private final AgroalDataSource dataSource;

    public RunStatistics(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * One row per queue, state and failure cause (null unless failed) with how many runs are in it and the creation
     * time of the oldest of them.
     */
    public List<QueueStateCount> byQueueAndState() throws SQLException {
        List<QueueStateCount> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select s.queue, r.state, r.failure_cause, count(*), min(r.created_at)
                from runs r join sweeps s on s.id = r.sweep_id
                group by s.queue, r.state, r.failure_cause
                """); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp oldest = rs.getTimestamp(5);
                out.add(new QueueStateCount(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        oldest == null ? null : oldest.toInstant()));
            }
        }
        return out;
    }

    /** Runs of one queue in one state (and, for failed runs, one cause). */
    public record QueueStateCount(String queue, String state, String failureCause, long runs, Instant oldestCreated) {
    }
}
