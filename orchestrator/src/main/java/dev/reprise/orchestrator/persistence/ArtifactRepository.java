package dev.reprise.orchestrator.persistence;

import dev.reprise.api.snapshots.ManifestEntry;
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
import java.util.Optional;

/** The artifact manifests and log archives of run attempts. Callers hold the transaction. */
@ApplicationScoped
public class ArtifactRepository {

    private final AgroalDataSource dataSource;

    public ArtifactRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One attempt's committed artifacts. */
    public record ArtifactSet(long runId, int attempt, String manifestId, int fileCount, long totalBytes,
            Instant committedAt) {
    }

    /** One attempt's archived log. */
    public record LogArchive(long runId, int attempt, String objectKey, long lines, long bytes, Instant archivedAt) {
    }

    /** Replaces the attempt's artifact set (an agent that uploads again, e.g. after a retry, wins). */
    public void replace(long runId, int attempt, String manifestId, List<ManifestEntry> entries, long totalBytes,
            Instant now) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement del = c.prepareStatement(
                    "delete from run_artifact_sets where run_id = ? and attempt = ?")) {
                del.setLong(1, runId);
                del.setInt(2, attempt);
                del.executeUpdate();
            }
            try (PreparedStatement set = c.prepareStatement("insert into run_artifact_sets (run_id, attempt, "
                    + "manifest_id, file_count, total_bytes, committed_at) values (?, ?, ?, ?, ?, ?)")) {
                set.setLong(1, runId);
                set.setInt(2, attempt);
                set.setString(3, manifestId);
                set.setInt(4, entries.size());
                set.setLong(5, totalBytes);
                set.setTimestamp(6, Timestamp.from(now));
                set.executeUpdate();
            }
            try (PreparedStatement file = c.prepareStatement("insert into run_artifacts (run_id, attempt, path, "
                    + "size, sha256, mode) values (?, ?, ?, ?, ?, ?)")) {
                for (ManifestEntry e : entries) {
                    file.setLong(1, runId);
                    file.setInt(2, attempt);
                    file.setString(3, e.path());
                    file.setLong(4, e.size());
                    file.setString(5, e.sha256());
                    file.setInt(6, e.mode());
                    file.addBatch();
                }
                file.executeBatch();
            }
        } catch (SQLException e) {
            throw new QueryFailedException("cannot record the artifacts of run " + runId, e);
        }
    }

    /** The set of {@code attempt}, or of the newest attempt that has one when {@code attempt} is null. */
    public Optional<ArtifactSet> set(long runId, Integer attempt) {
        String sql = "select run_id, attempt, manifest_id, file_count, total_bytes, committed_at from "
                + "run_artifact_sets where run_id = ?" + (attempt == null ? "" : " and attempt = ?")
                + " order by attempt desc limit 1";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            if (attempt != null) {
                ps.setInt(2, attempt);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new ArtifactSet(rs.getLong(1), rs.getInt(2), rs.getString(3),
                        rs.getInt(4), rs.getLong(5), rs.getTimestamp(6).toInstant())) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new QueryFailedException("cannot read the artifacts of run " + runId, e);
        }
    }

    /** The files of one attempt's set, by path. */
    public List<ManifestEntry> files(long runId, int attempt) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select path, "
                + "size, sha256, mode from run_artifacts where run_id = ? and attempt = ? order by path collate \"C\"")) {
            ps.setLong(1, runId);
            ps.setInt(2, attempt);
            List<ManifestEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ManifestEntry(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getInt(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new QueryFailedException("cannot read the artifacts of run " + runId, e);
        }
    }

    public Optional<ManifestEntry> file(long runId, int attempt, String path) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select path, "
                + "size, sha256, mode from run_artifacts where run_id = ? and attempt = ? and path = ?")) {
            ps.setLong(1, runId);
            ps.setInt(2, attempt);
            ps.setString(3, path);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new ManifestEntry(rs.getString(1), rs.getLong(2), rs.getString(3),
                        rs.getInt(4))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new QueryFailedException("cannot read the artifacts of run " + runId, e);
        }
    }

    /** Archived logs of the run, by attempt. */
    public List<LogArchive> logArchives(long runId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select run_id, "
                + "attempt, object_key, lines, bytes, archived_at from run_log_archives where run_id = ? "
                + "order by attempt")) {
            ps.setLong(1, runId);
            List<LogArchive> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LogArchive(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                            rs.getTimestamp(6).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new QueryFailedException("cannot read the log archives of run " + runId, e);
        }
    }

    /** Attempts that ended more than {@code delaySeconds} ago and have no archived log yet, oldest first. */
    public List<long[]> attemptsToArchive(int delaySeconds, int limit) {
        String sql = """
                select r.id, r.attempt from runs r
                where r.state in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'STOPPED_EARLY', 'LOST') and r.launched_at is not null
                  and coalesce(r.finished_at, r.created_at) < now() - make_interval(secs => ?)
                  and not exists (select 1 from run_log_archives l where l.run_id = r.id and l.attempt = r.attempt)
                union
                select a.run_id, a.attempt from run_attempts a
                where a.finished_at < now() - make_interval(secs => ?)
                  and not exists (select 1 from run_log_archives l where l.run_id = a.run_id and l.attempt = a.attempt)
                limit ?""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, delaySeconds);
            ps.setInt(2, delaySeconds);
            ps.setInt(3, limit);
            List<long[]> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new long[] {rs.getLong(1), rs.getInt(2)});
                }
            }
            return out;
        } catch (SQLException e) {
            throw new QueryFailedException("cannot find logs to archive", e);
        }
    }

    /** Receives an attempt's log lines in shipping order. */
    @FunctionalInterface
    public interface LogLineSink {
        void line(boolean stderr, String text) throws java.io.IOException;
    }

    /**
     * Streams the attempt's stored log lines in shipping order (chunk, stream, line) into {@code sink}, reading them
     * in pages so a long log never sits in memory; returns how many lines were passed on.
     */
    public long streamLog(long runId, int attempt, LogLineSink sink) throws java.io.IOException {
        long lines = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select stream, text from run_logs where run_id = ? "
                        + "and attempt = ? and rank = 0 order by chunk_seq, stream, line_no")) {
            c.setAutoCommit(false);
            ps.setFetchSize(1000);
            ps.setLong(1, runId);
            ps.setInt(2, attempt);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.line(rs.getInt(1) == 2, rs.getString(2));
                    lines++;
                }
            }
            c.commit();
            return lines;
        } catch (SQLException e) {
            throw new QueryFailedException("cannot read the log of run " + runId + " attempt " + attempt, e);
        }
    }

    public void recordArchive(long runId, int attempt, String key, long lines, long bytes, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("insert into "
                + "run_log_archives (run_id, attempt, object_key, lines, bytes, archived_at) values (?, ?, ?, ?, ?, ?) "
                + "on conflict (run_id, attempt) do nothing")) {
            ps.setLong(1, runId);
            ps.setInt(2, attempt);
            ps.setString(3, key);
            ps.setLong(4, lines);
            ps.setLong(5, bytes);
            ps.setTimestamp(6, Timestamp.from(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new QueryFailedException("cannot record the log archive of run " + runId, e);
        }
    }
}
