package dev.reprise.orchestrator.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which agents have gone silent: unfinished attempts (and ranks of distributed ones) whose newest heartbeat or start
 * was stored too long ago, by the database's clock. Read by the lost-run check.
 */
@ApplicationScoped
public class AgentSilence {

    private final AgroalDataSource dataSource;

    public AgentSilence(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
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
}
