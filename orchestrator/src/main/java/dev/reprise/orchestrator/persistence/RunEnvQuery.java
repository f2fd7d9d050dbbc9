package dev.reprise.orchestrator.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code env} of the sweep a run belongs to, as submitted (secrets included: callers mask, never show them). */
@ApplicationScoped
public class RunEnvQuery {

    private final AgroalDataSource dataSource;

    public RunEnvQuery(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The sweep's variables; empty for an unknown run or a sweep without {@code env}. */
    public Map<String, String> sweepEnvOf(long runId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select s.spec from runs r join sweeps s on s.id = r.sweep_id where r.id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, String> env = new LinkedHashMap<>();
                if (rs.next() && rs.getString(1) != null
                        && CanonicalJson.read(rs.getString(1), Object.class) instanceof Map<?, ?> spec
                        && spec.get("env") instanceof Map<?, ?> vars) {
                    vars.forEach((k, v) -> {
                        if (v != null && !(v instanceof Map<?, ?>)) { // a secret reference has no value here
                            env.put(String.valueOf(k), String.valueOf(v));
                        }
                    });
                }
                return env;
            }
        }
    }
}
