package dev.reprise.orchestrator.persistence.mlflow;

import dev.reprise.orchestrator.domain.mlflow.Experiment;
import dev.reprise.orchestrator.domain.mlflow.SearchFilter;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
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
 * The SQL of MLflow experiments: the sweeps behind them with their project and tags, found by id or name, searched,
 * renamed, deleted and restored, tagged.
 */
@ApplicationScoped
public class ExperimentStore {

    private static final String EXPERIMENT_COLUMNS = "select s.id, s.name, p.name, s.method, s.lifecycle_stage, "
            + "s.created_at, s.updated_at from sweeps s join projects p on p.id = s.project_id ";

    private final AgroalDataSource dataSource;

    public ExperimentStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<Experiment> experiment(long id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<Experiment> rows = experiments(c, "where s.id = ?", List.of(id));
            return rows.stream().findFirst();
        }
    }

    /** Experiments of that name in the given projects (null: any project), oldest first. */
    public List<Experiment> experimentsNamed(String name, Collection<String> projects) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
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
    public List<Experiment> searchExperiments(Collection<String> projects, List<SearchFilter.Clause> clauses,
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
            where.append(" and ").append(MlflowSql.comparison(expr, clause, args));
        }
        args.add(limit);
        args.add(offset);
        try (Connection c = dataSource.getConnection()) {
            return experiments(c, where + " order by " + orderSql + " limit ? offset ?", args);
        }
    }

    private List<Experiment> experiments(Connection c, String tail, List<Object> args) throws SQLException {
        List<Experiment> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(EXPERIMENT_COLUMNS + tail)) {
            MlflowSql.bind(c, ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Experiment(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(),
                            new LinkedHashMap<>()));
                }
            }
        }
        if (!out.isEmpty()) {
            Map<Long, Experiment> byId = new HashMap<>();
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

    private int update(String sql, Object... args) throws SQLException {
        return MlflowSql.update(dataSource, sql, args);
    }
}
