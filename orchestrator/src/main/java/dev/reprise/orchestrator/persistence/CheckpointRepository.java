package dev.reprise.orchestrator.persistence;

import dev.reprise.api.snapshots.InvalidManifestException;
import dev.reprise.api.snapshots.SnapshotManifest;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A run's complete checkpoints (table run_checkpoints) and which attempt resumed from which (run_attempts'
 * resumed_from_step / resumed_from_attempt). Callers hold the transaction.
 */
@ApplicationScoped
public class CheckpointRepository {

    private final AgroalDataSource dataSource;

    public CheckpointRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One complete checkpoint: every file is in the store with its size and hash. */
    public record Checkpoint(long runId, long step, int attempt, String manifestId, int fileCount, long totalBytes,
            Instant committedAt) {
    }

    /** Where an attempt's series continues from: steps up to {@code step} are {@code fromAttempt}'s. */
    public record Resume(int attempt, long step, int fromAttempt) {
    }

    /** Records a checkpoint; the same step again (an agent that uploads twice) replaces it. */
    public void record(long runId, long step, int attempt, SnapshotManifest manifest, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into run_checkpoints (run_id, step, attempt, manifest_id, manifest, file_count, total_bytes,
                                             committed_at)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (run_id, step) do update set attempt = excluded.attempt,
                    manifest_id = excluded.manifest_id, manifest = excluded.manifest,
                    file_count = excluded.file_count, total_bytes = excluded.total_bytes,
                    committed_at = excluded.committed_at
                """)) {
            ps.setLong(1, runId);
            ps.setLong(2, step);
            ps.setInt(3, attempt);
            ps.setString(4, manifest.id());
            ps.setString(5, new String(manifest.canonicalBytes(), StandardCharsets.UTF_8));
            ps.setInt(6, manifest.fileCount());
            ps.setLong(7, manifest.totalBytes());
            ps.setTimestamp(8, Timestamp.from(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new QueryFailedException("cannot record the checkpoint", e);
        }
    }

    /** The run's checkpoints, newest (highest step) first. */
    public List<Checkpoint> list(long runId) {
        List<Checkpoint> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select step, attempt, manifest_id, file_count, total_bytes, committed_at from run_checkpoints "
                        + "where run_id = ? order by step desc")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Checkpoint(runId, rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getInt(4),
                            rs.getLong(5), rs.getTimestamp(6).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new QueryFailedException("cannot list the run's checkpoints", e);
        }
        return out;
    }

    /** The manifest of one checkpoint, as stored (canonical). */
    public Optional<SnapshotManifest> manifest(long runId, long step) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select manifest from run_checkpoints where run_id = ? and step = ?")) {
            ps.setLong(1, runId);
            ps.setLong(2, step);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(SnapshotManifest.parseCanonical(rs.getString(1).getBytes(StandardCharsets.UTF_8)));
            }
        } catch (SQLException e) {
            throw new QueryFailedException("cannot read the checkpoint's manifest", e);
        } catch (InvalidManifestException e) {
            throw new IllegalStateException("stored checkpoint manifest of run " + runId + " step " + step
                    + " is invalid: " + e.getMessage(), e);
        }
    }

    /** The hashes of every file of the run's kept checkpoints. */
    public java.util.Set<String> blobs(long runId) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Checkpoint c : list(runId)) {
            manifest(runId, c.step()).ifPresent(m -> m.entries().forEach(e -> out.add(e.sha256())));
        }
        return out;
    }

    /** Deletes all but the newest {@code keep} checkpoints; returns the steps deleted. */
    public List<Long> retain(long runId, int keep) {
        List<Long> deleted = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                delete from run_checkpoints where run_id = ? and step not in
                    (select step from run_checkpoints where run_id = ? order by step desc limit ?)
                returning step
                """)) {
            ps.setLong(1, runId);
            ps.setLong(2, runId);
            ps.setInt(3, keep);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    deleted.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new QueryFailedException("cannot apply the checkpoint retention", e);
        }
        return deleted;
    }

    /** Records that {@code attempt} resumed after {@code step}, from a checkpoint {@code fromAttempt} wrote. */
    public void resumed(long runId, int attempt, long step, int fromAttempt) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into run_attempts (run_id, attempt, state, resumed_from_step, resumed_from_attempt)
                values (?, ?, 'RUNNING', ?, ?)
                on conflict (run_id, attempt) do update set resumed_from_step = excluded.resumed_from_step,
                    resumed_from_attempt = excluded.resumed_from_attempt
                """)) {
            ps.setLong(1, runId);
            ps.setInt(2, attempt);
            ps.setLong(3, step);
            ps.setInt(4, fromAttempt);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new QueryFailedException("cannot record the resume", e);
        }
    }

    /** Every resumed attempt of the run. */
    public static List<Resume> resumes(Connection c, long runId) throws SQLException {
        List<Resume> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select attempt, resumed_from_step, resumed_from_attempt "
                + "from run_attempts where run_id = ? and resumed_from_step is not null order by attempt")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Resume(rs.getInt(1), rs.getLong(2), rs.getInt(3)));
                }
            }
        }
        return out;
    }
}
