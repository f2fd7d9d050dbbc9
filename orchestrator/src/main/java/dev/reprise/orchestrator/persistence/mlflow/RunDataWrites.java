package dev.reprise.orchestrator.persistence.mlflow;

import dev.reprise.orchestrator.domain.mlflow.DatasetInput;
import dev.reprise.orchestrator.domain.mlflow.TrackedRun;
import dev.reprise.orchestrator.domain.run.RunState;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL that writes what an MLflow client logs about a run besides metric points (those take the ingest's path):
 * params (immutable once set), tags, dataset inputs, lifecycle stage, name and status. Methods taking a
 * {@link Connection} run in the caller's transaction.
 */
@ApplicationScoped
public class RunDataWrites {

    private final AgroalDataSource dataSource;

    public RunDataWrites(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stores params; re-logging the same value changes nothing. Returns the keys whose stored value (logged before,
     * or given by the sweep for a launched run) differs from the one asked, with the stored value: the caller rolls
     * back when any.
     */
    public Map<String, String> writeParams(Connection c, TrackedRun run, Map<String, String> params, Instant at)
            throws SQLException {
        Map<String, String> conflicts = new LinkedHashMap<>();
        if (params.isEmpty()) {
            return conflicts;
        }
        String[] keys = params.keySet().toArray(new String[0]);
        String[] values = params.values().toArray(new String[0]);
        try (PreparedStatement ps = c.prepareStatement("insert into run_params (run_id, key, value, logged_at) "
                + "select ?, k, v, ? from unnest(?::text[], ?::text[]) as x(k, v) order by k "
                + "on conflict (run_id, key) do nothing")) {
            ps.setLong(1, run.id());
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setArray(3, c.createArrayOf("text", keys));
            ps.setArray(4, c.createArrayOf("text", values));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select key, value from run_params where run_id = ? and key = any(?)")) {
            ps.setLong(1, run.id());
            ps.setArray(2, c.createArrayOf("text", keys));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getString(2).equals(params.get(rs.getString(1)))) {
                        conflicts.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        if (run.tracking()) {
            try (PreparedStatement ps = c.prepareStatement("update runs set parameters = parameters || "
                    + "(select jsonb_object_agg(k, v) from unnest(?::text[], ?::text[]) as x(k, v)) where id = ?")) {
                ps.setArray(1, c.createArrayOf("text", keys));
                ps.setArray(2, c.createArrayOf("text", values));
                ps.setLong(3, run.id());
                ps.executeUpdate();
            }
        }
        return conflicts;
    }

    public void writeTags(Connection c, long runId, Map<String, String> tags) throws SQLException {
        if (tags.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into run_tags (run_id, key, value) "
                + "select ?, k, v from unnest(?::text[], ?::text[]) as x(k, v) order by k "
                + "on conflict (run_id, key) do update set value = excluded.value")) {
            ps.setLong(1, runId);
            ps.setArray(2, c.createArrayOf("text", tags.keySet().toArray(new String[0])));
            ps.setArray(3, c.createArrayOf("text", tags.values().toArray(new String[0])));
            ps.executeUpdate();
        }
    }

    /** Whether the tag existed. */
    public boolean deleteTag(long runId, String key) throws SQLException {
        return update("delete from run_tags where run_id = ? and key = ?", runId, key) > 0;
    }

    public void writeInputs(Connection c, long runId, List<DatasetInput> inputs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into run_inputs (run_id, name, digest, source_type, "
                + "source, schema, profile, tags) values (?, ?, ?, ?, ?, ?, ?, ?::jsonb) "
                + "on conflict (run_id, name, digest) do update set tags = excluded.tags")) {
            for (DatasetInput i : inputs) {
                ps.setLong(1, runId);
                ps.setString(2, i.name());
                ps.setString(3, i.digest());
                ps.setString(4, i.sourceType());
                ps.setString(5, i.source());
                ps.setString(6, i.schema());
                ps.setString(7, i.profile());
                ps.setString(8, i.tagsJson());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void setRunStage(long runId, String stage) throws SQLException {
        update("update runs set lifecycle_stage = ? where id = ?", stage, runId);
    }

    /** Sets what an MLflow client may change of a run: its name always; state and end of tracking runs only. */
    public void updateRun(long runId, String runName, RunState state, Instant finishedAt) throws SQLException {
        update("update runs set run_name = coalesce(?::text, run_name), state = coalesce(?::text, state), "
                + "finished_at = coalesce(?::timestamptz, finished_at) where id = ?", runName,
                state == null ? null : state.name(), finishedAt == null ? null : Timestamp.from(finishedAt), runId);
    }

    private int update(String sql, Object... args) throws SQLException {
        return MlflowSql.update(dataSource, sql, args);
    }
}
