package dev.reprise.orchestrator.persistence.mlflow;

import dev.reprise.orchestrator.domain.mlflow.DatasetInput;
import dev.reprise.orchestrator.domain.mlflow.HistoryPoint;
import dev.reprise.orchestrator.domain.mlflow.MlflowStatus;
import dev.reprise.orchestrator.domain.mlflow.OrderBy;
import dev.reprise.orchestrator.domain.mlflow.RunData;
import dev.reprise.orchestrator.domain.mlflow.RunData.LatestMetric;
import dev.reprise.orchestrator.domain.mlflow.SearchFilter;
import dev.reprise.orchestrator.domain.mlflow.TrackedRun;
import dev.reprise.orchestrator.domain.run.RunState;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL that reads MLflow runs: run rows, their params, tags, latest metrics and dataset inputs, run search with
 * MLflow's filter and order, metric history. Methods taking a {@link Connection} run in the caller's transaction.
 */
@ApplicationScoped
public class TrackedRunStore {

    private static final String RUN_COLUMNS = "select r.id, r.sweep_id, p.name, s.name, s.lifecycle_stage, "
            + "r.run_index, r.run_name, coalesce(r.user_id, s.created_by), r.state, r.attempt, r.created_at, "
            + "r.started_at, r.finished_at, r.lifecycle_stage, r.executor, r.parameters::text "
            + "from runs r join sweeps s on s.id = r.sweep_id join projects p on p.id = s.project_id ";

    private final AgroalDataSource dataSource;

    public TrackedRunStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    public Optional<TrackedRun> run(long id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return runs(c, List.of(id)).stream().findFirst();
        }
    }

    /** The runs of these ids, in the order given (missing ones left out). */
    public List<TrackedRun> runs(Connection c, List<Long> ids) throws SQLException {
        Map<Long, TrackedRun> byId = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(RUN_COLUMNS + "where r.id = any(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TrackedRun row = new TrackedRun(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(8),
                            RunState.valueOf(rs.getString(9)), rs.getInt(10),
                            MlflowSql.instant(rs.getTimestamp(11)), MlflowSql.instant(rs.getTimestamp(12)),
                            MlflowSql.instant(rs.getTimestamp(13)), rs.getString(14), rs.getString(15),
                            rs.getString(16));
                    byId.put(row.id(), row);
                }
            }
        }
        List<TrackedRun> out = new ArrayList<>();
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
                    out.get(rs.getLong(1)).inputs().add(new DatasetInput(rs.getString(2), rs.getString(3),
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
            sql.append(" and ").append(MlflowSql.comparison(expr, clause, args));
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
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            MlflowSql.bind(c, ps, args);
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

    /** One page of a metric's points, in step order (then attempt and sequence). */
    public List<HistoryPoint> history(long runId, String key, int offset, int limit) throws SQLException {
        List<HistoryPoint> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select mp.value, "
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
}
