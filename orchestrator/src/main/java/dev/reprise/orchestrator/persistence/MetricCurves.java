package dev.reprise.orchestrator.persistence;

import dev.reprise.orchestrator.domain.compare.Curve;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Whole metric curves of one run attempt, for comparisons: the last value reported at each step, per key. */
@ApplicationScoped
public class MetricCurves {

    private static final String CURVES = """
            select k.name, p.step, p.value
            from (select distinct on (key_id, step) key_id, step, value
                  from metric_points where run_id = ? and attempt = ?
                  order by key_id, step, seq desc) p
            join metric_keys k on k.id = p.key_id
            where k.name not like 'sys/%'
            order by k.name, p.step
            limit ?""";

    private final AgroalDataSource dataSource;

    public MetricCurves(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every non-system key's curve, or empty when the attempt has more than {@code maxPoints} points. */
    public Optional<Map<String, Curve>> of(long runId, int attempt, int maxPoints) {
        Map<String, Curve> curves = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CURVES)) {
            ps.setLong(1, runId);
            ps.setInt(2, attempt);
            ps.setInt(3, maxPoints + 1);
            String key = null;
            long[] steps = new long[64];
            double[] values = new double[64];
            int n = 0;
            int total = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (++total > maxPoints) {
                        return Optional.empty();
                    }
                    String k = rs.getString(1);
                    if (!k.equals(key)) {
                        if (key != null) {
                            curves.put(key, new Curve(java.util.Arrays.copyOf(steps, n),
                                    java.util.Arrays.copyOf(values, n)));
                        }
                        key = k;
                        n = 0;
                    }
                    if (n == steps.length) {
                        steps = java.util.Arrays.copyOf(steps, n * 2);
                        values = java.util.Arrays.copyOf(values, n * 2);
                    }
                    steps[n] = rs.getLong(2);
                    values[n] = rs.getDouble(3);
                    n++;
                }
            }
            if (key != null) {
                curves.put(key, new Curve(java.util.Arrays.copyOf(steps, n), java.util.Arrays.copyOf(values, n)));
            }
            return Optional.of(curves);
        } catch (SQLException e) {
            throw new QueryFailedException("cannot read the metrics of run " + runId, e);
        }
    }
}
