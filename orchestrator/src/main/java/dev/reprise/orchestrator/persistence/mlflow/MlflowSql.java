package dev.reprise.orchestrator.persistence.mlflow;

import dev.reprise.orchestrator.domain.mlflow.SearchFilter;
import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** JDBC helpers shared by the MLflow stores: binding MLflow filter values, one-statement updates, comparisons. */
final class MlflowSql {

    private MlflowSql() {
    }

    static int update(AgroalDataSource dataSource, String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, java.util.Arrays.asList(args));
            return ps.executeUpdate();
        }
    }

    static void bind(Connection c, PreparedStatement ps, List<Object> args) throws SQLException {
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

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static String comparison(String expr, SearchFilter.Clause clause, List<Object> args) {
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
}
