package dev.reprise.orchestrator.persistence;

import dev.reprise.api.messages.MetricKeys;
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
 * The dashboard's reads over runs and their metric summaries, in plain SQL: a sweep's runs as a table (parameters and
 * metric summaries as columns, sorted by any of them, paged in the database), the best run of sweeps, and the
 * parameters-to-objective rows of a parallel-coordinates plot. A run's objective value is the last value its
 * objective metric reported (W&B's summary semantics); NaN and runs without a value sort last in either direction.
 */
@ApplicationScoped
public class SweepTableQuery {

    /** Metric keys under this prefix are the agent's telemetry (CPU, memory, GPUs), not columns of the table. */

    private final AgroalDataSource dataSource;

    public SweepTableQuery(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What a table can be sorted by. */
    public enum SortKind { INDEX, STATE, CREATED, STARTED, FINISHED, PARAMETER, METRIC_LAST, METRIC_MIN, METRIC_MAX }

    /** A sort order: {@code name} is the parameter or metric key for those kinds; the run index breaks ties. */
    public record Sort(SortKind kind, String name, boolean descending) {
    }

    /** The summary of one metric key of one run. Values may be NaN or infinite. */
    public record Summary(long points, long lastStep, double last, Double min, Double max) {
    }

    /** One row of the table: the run, its parameters as stored JSON text, and its summaries by key. */
    public record Row(long id, int index, RunState state, int attempt, String parametersJson, Instant createdAt,
                      Instant startedAt, Instant finishedAt, String failureCause, Map<String, Summary> metrics) {
    }

    public record Page(List<Row> rows, long total) {
    }

    /** The run with the best objective value of a sweep. */
    public record Best(long sweepId, long runId, int index, double value, String parametersJson) {
    }

    /** A run with its objective value, for the parallel-coordinates plot. */
    public record Coordinate(long runId, int index, RunState state, String parametersJson, double value) {
    }

    /** The metric keys some run of the sweep reported, telemetry ({@value MetricKeys#SYSTEM_PREFIX}) left out, by name. */
    public List<String> metricKeys(long sweepId) {
        String sql = """
                select k.name from metric_keys k
                where k.id in (select distinct s.key_id from runs r join metric_summaries s on s.run_id = r.id
                               where r.sweep_id = ?)
                  and not starts_with(k.name, ?)
                order by k.name""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, sweepId);
            ps.setString(2, MetricKeys.SYSTEM_PREFIX);
            List<String> keys = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw new QueryFailedException("metric keys of sweep " + sweepId, e);
        }
    }

    /**
     * One page of a sweep's runs in the given order, optionally only runs in the given states, with the summaries of
     * the given metric keys. A sort by a metric key no run reported leaves every value empty (index order).
     */
    public Page page(long sweepId, Collection<RunState> states, Sort sort, List<String> metricKeys, int page,
            int size) {
        try (Connection c = dataSource.getConnection()) {
            Map<String, Integer> keyIds = keyIds(c, metricKeys);
            long total = count(c, sweepId, states);
            List<Row> rows = rows(c, sweepId, states, sort, page, size);
            if (!rows.isEmpty() && !keyIds.isEmpty()) {
                attachSummaries(c, rows, keyIds);
            }
            return new Page(rows, total);
        } catch (SQLException e) {
            throw new QueryFailedException("table of sweep " + sweepId, e);
        }
    }

    /** The best run of each of the given sweeps that has an objective and a run that reported it. */
    public Map<Long, Best> best(Collection<Long> sweepIds) {
        Map<Long, Best> out = new HashMap<>();
        if (sweepIds.isEmpty()) {
            return out;
        }
        String sql = """
                select distinct on (w.id) w.id, r.id, r.run_index, s.last_value, r.parameters::text
                from sweeps w
                join metric_keys k on k.name = w.metric_name
                join runs r on r.sweep_id = w.id
                join metric_summaries s on s.run_id = r.id and s.key_id = k.id
                where w.id = any(?) and s.last_value <> 'NaN'::float8
                order by w.id, case when w.metric_goal = 'maximize' then -s.last_value else s.last_value end,
                         r.run_index""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Array ids = c.createArrayOf("bigint", sweepIds.toArray());
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), new Best(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getDouble(4),
                            rs.getString(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new QueryFailedException("best runs of sweeps " + sweepIds, e);
        }
    }

    /**
     * Runs of a sweep that reported {@code metricKey}, best first for the goal, at most {@code limit}: their
     * parameters and last value of the key.
     */
    public List<Coordinate> coordinates(long sweepId, String metricKey, boolean maximize, int limit) {
        String sql = """
                select r.id, r.run_index, r.state, r.parameters::text, s.last_value
                from runs r join metric_summaries s on s.run_id = r.id
                where r.sweep_id = ? and s.key_id = (select id from metric_keys where name = ?)
                order by s.last_value = 'NaN'::float8, s.last_value %s, r.run_index
                limit ?""".formatted(maximize ? "desc" : "asc");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, sweepId);
            ps.setString(2, metricKey);
            ps.setInt(3, limit);
            List<Coordinate> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Coordinate(rs.getLong(1), rs.getInt(2), RunState.valueOf(rs.getString(3)),
                            rs.getString(4), rs.getDouble(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new QueryFailedException("coordinates of sweep " + sweepId, e);
        }
    }

    private static Map<String, Integer> keyIds(Connection c, List<String> names) throws SQLException {
        Map<String, Integer> ids = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return ids;
        }
        try (PreparedStatement ps = c.prepareStatement("select name, id from metric_keys where name = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return ids;
    }

    private static long count(Connection c, long sweepId, Collection<RunState> states) throws SQLException {
        String sql = "select count(*) from runs where sweep_id = ?" + (states.isEmpty() ? "" : " and state = any(?)");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, sweepId);
            if (!states.isEmpty()) {
                ps.setArray(2, stateArray(c, states));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<Row> rows(Connection c, long sweepId, Collection<RunState> states, Sort sort, int page,
            int size) throws SQLException {
        String dir = sort.descending() ? "desc" : "asc";
        boolean byMetric = switch (sort.kind()) {
            case METRIC_LAST, METRIC_MIN, METRIC_MAX -> true;
            default -> false;
        };
        // The sort value; rows without one (and NaN metrics) go last in either direction, the index breaks ties.
        String value = switch (sort.kind()) {
            case INDEX -> "r.run_index";
            case STATE -> "r.state";
            case CREATED -> "r.created_at";
            case STARTED -> "r.started_at";
            case FINISHED -> "r.finished_at";
            case PARAMETER -> "(r.parameters -> ?)";
            case METRIC_LAST -> "s.last_value";
            case METRIC_MIN -> "s.min_value";
            case METRIC_MAX -> "s.max_value";
        };
        String missing = byMetric ? "(" + value + " is null or " + value + " = 'NaN'::float8)" : value + " is null";
        String sql = "select r.id, r.run_index, r.state, r.attempt, r.parameters::text, r.created_at, r.started_at,"
                + " r.finished_at, r.failure_cause from runs r"
                + (byMetric ? " left join metric_summaries s on s.run_id = r.id"
                        + " and s.key_id = (select id from metric_keys where name = ?)" : "")
                + " where r.sweep_id = ?" + (states.isEmpty() ? "" : " and r.state = any(?)")
                + " order by "
                + (sort.kind() == SortKind.INDEX ? "" : missing + ", " + value + " " + dir + " nulls last, ")
                + "r.run_index " + (sort.kind() == SortKind.INDEX ? dir : "asc")
                + " limit ? offset ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (byMetric) {
                ps.setString(i++, sort.name());
            }
            ps.setLong(i++, sweepId);
            if (!states.isEmpty()) {
                ps.setArray(i++, stateArray(c, states));
            }
            if (sort.kind() == SortKind.PARAMETER) {
                ps.setString(i++, sort.name());
                ps.setString(i++, sort.name());
            }
            ps.setInt(i++, size);
            ps.setLong(i, (long) page * size);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getInt(2), RunState.valueOf(rs.getString(3)), rs.getInt(4),
                            rs.getString(5), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)),
                            instant(rs.getTimestamp(8)), rs.getString(9), new LinkedHashMap<>()));
                }
            }
            return rows;
        }
    }

    private static void attachSummaries(Connection c, List<Row> rows, Map<String, Integer> keyIds)
            throws SQLException {
        Map<Integer, String> names = new HashMap<>();
        keyIds.forEach((name, id) -> names.put(id, name));
        Map<Long, Row> byId = new HashMap<>();
        rows.forEach(r -> byId.put(r.id(), r));
        try (PreparedStatement ps = c.prepareStatement("select run_id, key_id, points, last_step, last_value,"
                + " min_value, max_value from metric_summaries where run_id = any(?) and key_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", byId.keySet().toArray()));
            ps.setArray(2, c.createArrayOf("integer", keyIds.values().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row row = byId.get(rs.getLong(1));
                    row.metrics().put(names.get(rs.getInt(2)), new Summary(rs.getLong(3), rs.getLong(4),
                            rs.getDouble(5), nullable(rs, 6), nullable(rs, 7)));
                }
            }
        }
    }

    private static Array stateArray(Connection c, Collection<RunState> states) throws SQLException {
        return c.createArrayOf("text", states.stream().map(Enum::name).toArray());
    }

    private static Double nullable(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** Looks a run up by id only to say which sweep it belongs to; empty when there is no such run. */
    public Optional<Long> sweepOfRun(long runId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select sweep_id from runs where id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new QueryFailedException("run " + runId, e);
        }
    }
}
