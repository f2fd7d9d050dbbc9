package dev.reprise.orchestrator.api;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Row counts straight from PostgreSQL, to prove that refused requests wrote nothing. */
@ApplicationScoped
public class Database {

    private final AgroalDataSource dataSource;

    public Database(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Counts of projects, sweeps and runs, in that order. */
    public RowCounts counts() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select (select count(*) from projects), (select count(*) from sweeps), "
                        + "(select count(*) from runs)")) {
            rs.next();
            return new RowCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public record RowCounts(long projects, long sweeps, long runs) {
    }
}
