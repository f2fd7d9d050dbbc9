package dev.reprise.orchestrator.persistence.mlflow;

import dev.reprise.orchestrator.domain.mlflow.MlflowStatus;
import dev.reprise.orchestrator.domain.mlflow.OrderBy;
import dev.reprise.orchestrator.domain.mlflow.SearchFilter;
import dev.reprise.orchestrator.domain.run.RunState;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every SQL statement of the MLflow-compatible API: experiments (sweeps), runs, params, tags, dataset inputs, run
 * search and metric history. Plain JDBC on the service's data source; methods taking a {@link Connection} run in the
 * caller's transaction.
 */
@ApplicationScoped
public class MlflowStore {

    /** An experiment: a sweep with its project. */
    public record ExperimentRow(long id, String name, String project, String method, String lifecycleStage,
            Instant createdAt, Instant updatedAt, Map<String, String> tags) {
    }

    /** A run with what MLflow's RunInfo needs. */
    public record RunRow(long id, long sweepId, String project, String sweepName, String sweepLifecycle, int index,
            String runName, String userId, RunState state, int attempt, Instant createdAt, Instant startedAt,
            Instant finishedAt, String lifecycleStage, String executor, String parametersJson) {

        /** Whether an MLflow client created it (its client drives its status) rather than the scheduler. */
        public boolean tracking() {
            return "mlflow".equals(executor);
        }

        public String displayName() {
            return runName != null ? runName : sweepName + "-" + index;
        }
    }

    /** The newest point of a key, as MLflow's run data shows it. */
    public record LatestMetric(String key, double value, long timestampMillis, long step) {
    }

    /** Params, tags and latest metrics of a run. */
    public record RunData(Map<String, String> params, Map<String, String> tags, List<LatestMetric> metrics,
            List<Input> inputs) {
    }

    /** A dataset input of a run. */
    public record Input(String name, String digest, String sourceType, String source, String schema,
            String profile, String tagsJson) {
    }

    /** One point of a metric's history. */
    public record HistoryPoint(double value, long timestampMillis, long step) {
    }

    private static final String RUN_COLUMNS = "select r.id, r.sweep_id, p.name, s.name, s.lifecycle_stage, "
            + "r.run_index, r.run_name, coalesce(r.user_id, s.created_by), r.state, r.attempt, r.created_at, "
            + "r.started_at, r.finished_at, r.lifecycle_stage, r.executor, r.parameters::text "
            + "from runs r join sweeps s on s.id = r.sweep_id join projects p on p.id = s.project_id ";

    private static final String EXPERIMENT_COLUMNS = "select s.id, s.name, p.name, s.method, s.lifecycle_stage, "
            + "s.created_at, s.updated_at from sweeps s join projects p on p.id = s.project_id ";

    private final AgroalDataSource dataSource;

    public MlflowStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    // ---- experiments

    public Optional<ExperimentRow> experiment(long id) throws SQLException {
        try (Connection c = connection()) {
            List<ExperimentRow> rows = experiments(c, "where s.id = ?", List.of(id));
            return rows.stream().findFirst();
        }
    }

    /** Experiments of that name in the given projects (null: any project), oldest first. */
    public List<ExperimentRow> experimentsNamed(String name, Collection<String> projects) throws SQLException {
        try (Connection c = connection()) {
            if (projects == null) {
                return experiments(c, "where s.name = ? order by s.id", List.of(name));
            }
            return experiments(c, "where s.name = ? and p.name = any(?) order by s.id",
                    List.of(name, projects.toArray(new String[0])));
        }
    }

    /**
     * Experiments in the given projects (null: any) matching the clauses (attributes name, creation_time,
     * last_update_time; tags), in {@code stage} ('active', 'deleted' or null for both).
     */
    public List<ExperimentRow> searchExperiments(Collection<String> projects, List<SearchFilter.Clause> clauses,
            String stage, String orderSql, int offset, int limit) throws SQLException {
        StringBuilder where = new StringBuilder("where true");
        List<Object> args = new ArrayList<>();
        if (projects != null) {
            where.append(" and p.name = any(?)");
            args.add(projects.toArray(new String[0]));
        }
        if (stage != null) {
            where.append(" and s.lifecycle_stage = ?");
            args.add(stage);
        }
        for (SearchFilter.Clause clause : clauses) {
            String expr = switch (clause.entity()) {
                case TAG -> {
                    args.add(clause.key());
                    yield "(select t.value from sweep_tags t where t.sweep_id = s.id and t.key = ?)";
                }
                case ATTRIBUTE -> switch (clause.key()) {
                    case "name", "experiment_name" -> "s.name";
                    case "creation_time", "created" -> "(extract(epoch from s.created_at) * 1000)";
                    case "last_update_time" -> "(extract(epoch from s.updated_at) * 1000)";
                    case "experiment_id" -> "s.id::text";
                    default -> throw new SearchFilter.InvalidFilterException("Invalid attribute key '"
                            + clause.key() + "' for experiments; valid: name, creation_time, last_update_time");
                };
                default -> throw new SearchFilter.InvalidFilterException(
                        "experiments can be filtered by attributes and tags only");
            };
            where.append(" and ").append(comparison(expr, clause, args));
        }
        args.add(limit);
        args.add(offset);
        try (Connection c = connection()) {
            return experiments(c, where + " order by " + orderSql + " limit ? offset ?", args);
        }
    }

    private List<ExperimentRow> experiments(Connection c, String tail, List<Object> args) throws SQLException {
        List<ExperimentRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(EXPERIMENT_COLUMNS + tail)) {
            bind(c, ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ExperimentRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(),
                            new LinkedHashMap<>()));
                }
            }
        }
        if (!out.isEmpty()) {
            Map<Long, ExperimentRow> byId = new HashMap<>();
            out.forEach(e -> byId.put(e.id(), e));
            try (PreparedStatement ps = c.prepareStatement(
                    "select sweep_id, key, value from sweep_tags where sweep_id = any(?) order by key")) {
                ps.setArray(1, c.createArrayOf("bigint", byId.keySet().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byId.get(rs.getLong(1)).tags().put(rs.getString(2), rs.getString(3));
                    }
                }
            }
        }
        return out;
    }

    public void setExperimentStage(long id, String stage) throws SQLException {
        update("update sweeps set lifecycle_stage = ?, updated_at = now() where id = ?", stage, id);
    }

    public void renameExperiment(long id, String name) throws SQLException {
        update("update sweeps set name = ?, updated_at = now() where id = ?", name, id);
    }

    public void setExperimentTag(long id, String key, String value) throws SQLException {
        update("insert into sweep_tags (sweep_id, key, value) values (?, ?, ?) on conflict (sweep_id, key) "
                + "do update set value = excluded.value", id, key, value);
    }

    // ---- runs

    public Optional<RunRow> run(long id) throws SQLException {
        try (Connection c = connection()) {
            return runs(c, List.of(id)).stream().findFirst();
        }
    }

    /** The runs of these ids, in the order given (missing ones left out). */
    public List<RunRow> runs(Connection c, List<Long> ids) throws SQLException {
        Map<Long, RunRow> byId = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(RUN_COLUMNS + "where r.id = any(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RunRow row = new RunRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(8),
                            RunState.valueOf(rs.getString(9)), rs.getInt(10), instant(rs.getTimestamp(11)),
                            instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13)), rs.getString(14),
                            rs.getString(15), rs.getString(16));
                    byId.put(row.id(), row);
                }
            }
        }
        List<RunRow> out = new ArrayList<>();
        ids.forEach(id -> {
            if (byId.containsKey(id)) {
                out.add(byId.get(id));
            }
        });
        return out;
    }

    /** Params, tags, latest metrics and inputs of each run. */
    public Map<Long, RunData> data(Connection c, Collection<Long> ids) throws SQLException {
        Map<Long, RunData> out = new HashMap<>();
        for (Long id : ids) {
            out.put(id, new RunData(new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>(),
                    new ArrayList<>()));
        }
        if (ids.isEmpty()) {
            return out;
        }
        Array array = c.createArrayOf("bigint", ids.toArray());
        try (PreparedStatement ps = c.prepareStatement(
                "select run_id, key, value from run_params where run_id = any(?) order by run_id, key")) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.get(rs.getLong(1)).params().put(rs.getString(2), rs.getString(3));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select run_id, key, value from run_tags where run_id = any(?) order by run_id, key")) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.get(rs.getLong(1)).tags().put(rs.getString(2), rs.getString(3));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select ms.run_id, k.name, ms.last_value, "
                + "(extract(epoch from ms.last_ts) * 1000)::bigint, ms.last_step from metric_summaries ms "
                + "join metric_keys k on k.id = ms.key_id where ms.run_id = any(?) and k.name not like 'sys/%' "
                + "order by ms.run_id, k.name")) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.get(rs.getLong(1)).metrics().add(new LatestMetric(rs.getString(2), rs.getDouble(3),
                            rs.getLong(4), rs.getLong(5)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select run_id, name, digest, source_type, source, schema, "
                + "profile, tags::text from run_inputs where run_id = any(?) order by run_id, name, digest")) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.get(rs.getLong(1)).inputs().add(new Input(rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return out;
    }

    /**
     * The ids of runs of these experiments matching the filter, in the order asked (then newest first, then id),
     * one page.
     */
    public List<Long> searchRuns(Collection<Long> experimentIds, List<SearchFilter.Clause> clauses,
            List<OrderBy> orderBy, String stage, int offset, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("select r.id from runs r join sweeps s on s.id = r.sweep_id "
                + "where r.sweep_id = any(?)");
        List<Object> args = new ArrayList<>();
        args.add(experimentIds.toArray(new Long[0]));
        if (stage != null) {
            sql.append(" and r.lifecycle_stage = ?");
            args.add(stage);
        }
        for (SearchFilter.Clause clause : clauses) {
            String expr = runExpression(clause.entity(), clause.key(), args);
            sql.append(" and ").append(comparison(expr, clause, args));
        }
        sql.append(" order by ");
        for (OrderBy o : orderBy) {
            String expr = runExpression(o.entity(), o.key(), args);
            sql.append(expr).append(o.ascending() ? " asc nulls last, " : " desc nulls last, ");
        }
        sql.append("coalesce(r.started_at, r.created_at) desc, r.id limit ? offset ?");
        args.add(limit);
        args.add(offset);
        List<Long> ids = new ArrayList<>();
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(c, ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static String runExpression(SearchFilter.Entity entity, String key, List<Object> args) {
        return switch (entity) {
            case METRIC -> {
                args.add(key);
                yield "(select ms.last_value from metric_summaries ms join metric_keys k on k.id = ms.key_id "
                        + "where ms.run_id = r.id and k.name = ?)";
            }
            case PARAM -> {
                args.add(key);
                args.add(key);
                yield "coalesce((select rp.value from run_params rp where rp.run_id = r.id and rp.key = ?), "
                        + "r.parameters ->> ?)";
            }
            case TAG -> {
                if ("mlflow.runName".equals(key)) {
                    yield "coalesce(r.run_name, s.name || '-' || r.run_index)";
                }
                args.add(key);
                yield "(select t.value from run_tags t where t.run_id = r.id and t.key = ?)";
            }
            case ATTRIBUTE -> switch (key) {
                case "status" -> MlflowStatus.sql("r.state");
                case "run_name" -> "coalesce(r.run_name, s.name || '-' || r.run_index)";
                case "run_id" -> "r.id::text";
                case "user_id" -> "coalesce(r.user_id, s.created_by)";
                case "start_time", "created" -> "(extract(epoch from coalesce(r.started_at, r.created_at)) * 1000)";
                case "end_time" -> "(extract(epoch from r.finished_at) * 1000)";
                case "lifecycle_stage" -> "r.lifecycle_stage";
                case "artifact_uri" -> "('mlflow-artifacts:/' || r.sweep_id || '/' || r.id || '/artifacts')";
                default -> throw new SearchFilter.InvalidFilterException("Invalid attribute key '" + key + "'");
            };
        };
    }

    private static String comparison(String expr, SearchFilter.Clause clause, List<Object> args) {
        String cmp = clause.comparator();
        if ("IN".equals(cmp) || "NOT IN".equals(cmp)) {
            args.add(clause.values().stream().map(String::valueOf).toArray(String[]::new));
            return "IN".equals(cmp) ? expr + " = any(?)" : "(" + expr + ") <> all(?)";
        }
        Object v = clause.values().get(0);
        args.add(v);
        return switch (cmp) {
            case "LIKE" -> expr + " like ?";
            case "ILIKE" -> expr + " ilike ?";
            default -> expr + " " + cmp + " ?";
        };
    }

    /** One page of a metric's points, in step order (then attempt and sequence). */
    public List<HistoryPoint> history(long runId, String key, int offset, int limit) throws SQLException {
        List<HistoryPoint> out = new ArrayList<>();
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("select mp.value, "
                + "(extract(epoch from mp.ts) * 1000)::bigint, mp.step from metric_points mp "
                + "join metric_keys k on k.id = mp.key_id where mp.run_id = ? and k.name = ? "
                + "order by mp.step, mp.attempt, mp.seq limit ? offset ?")) {
            ps.setLong(1, runId);
            ps.setString(2, key);
            ps.setInt(3, limit);
            ps.setInt(4, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new HistoryPoint(rs.getDouble(1), rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        return out;
    }

    // ---- run writes, in the caller's transaction

    /**
     * Stores params; re-logging the same value changes nothing. Returns the keys whose stored value (logged before,
     * or given by the sweep for a launched run) differs from the one asked, with the stored value: the caller rolls
     * back when any.
     */
    public Map<String, String> writeParams(Connection c, RunRow run, Map<String, String> params, Instant at)
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

    public void writeInputs(Connection c, long runId, List<Input> inputs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into run_inputs (run_id, name, digest, source_type, "
                + "source, schema, profile, tags) values (?, ?, ?, ?, ?, ?, ?, ?::jsonb) "
                + "on conflict (run_id, name, digest) do update set tags = excluded.tags")) {
            for (Input i : inputs) {
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
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, java.util.Arrays.asList(args));
            return ps.executeUpdate();
        }
    }

    private static void bind(Connection c, PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof String[] strings) {
                ps.setArray(i + 1, c.createArrayOf("text", strings));
            } else if (a instanceof Long[] longs) {
                ps.setArray(i + 1, c.createArrayOf("bigint", longs));
            } else if (a instanceof Double d) {
                ps.setDouble(i + 1, d);
            } else if (a == null) {
                ps.setNull(i + 1, java.sql.Types.VARCHAR);
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
