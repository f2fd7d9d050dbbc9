package dev.reprise.orchestrator.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Block rollups of {@code metric_points} (table {@code metric_rollups}, migration V12): per run, key, attempt and
 * block of {@value #BLOCK_STEPS} steps, the number of points and the lowest and highest point as
 * {@value #POINT}. The ingest maintains them in the statement that stores the points ({@link PointWriter}); the
 * series query reads them instead of the raw points of whole blocks.
 *
 * <p>{@link #rebuild} recomputes a run's rollups from its stored points, with the statement the migration used for
 * the points stored before it: for data loaded around the ingest (bulk loads, benchmarks, repairs).
 */
@ApplicationScoped
public class MetricRollups {

    /** A block is {@code step >> BLOCK_SHIFT}. */
    public static final int BLOCK_SHIFT = 6;
    public static final long BLOCK_STEPS = 1L << BLOCK_SHIFT;

    /**
     * A stored point as the float8 array the rollups and the series query compare: value first, then identity
     * (date_part gives float8 directly, cheaper than extract's numeric).
     */
    public static final String POINT = "array[value, step::float8, seq::float8, date_part('epoch', ts) * 1000]";

    /**
     * The rollup rows of the points a query or CTE named {@code %s} yields (columns of metric_points); each point's
     * array is built once.
     */
    static final String ROLLUP_ROWS = "select run_id, key_id, attempt, block, count(*), min(p), max(p) from ("
            + "select run_id, key_id, attempt, step >> " + BLOCK_SHIFT + " as block, " + POINT + " as p from %s) x"
            + " group by run_id, key_id, attempt, block";

    private final AgroalDataSource dataSource;

    public MetricRollups(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Replaces the rollups of one run by those of its stored points, in one transaction. */
    public void rebuild(long runId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement("delete from metric_rollups where run_id = ?");
                    PreparedStatement insert = c.prepareStatement("insert into metric_rollups (run_id, key_id,"
                            + " attempt, block, points, lowest, highest) "
                            + ROLLUP_ROWS.formatted("metric_points where run_id = ?"))) {
                delete.setLong(1, runId);
                delete.executeUpdate();
                insert.setLong(1, runId);
                insert.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }
}
