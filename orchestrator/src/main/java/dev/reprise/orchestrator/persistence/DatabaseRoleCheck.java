package dev.reprise.orchestrator.persistence;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.logging.Logger;

/**
 * Warns at start when the application's database user can rewrite the audit log: it owns {@code audit_log} (one
 * credential for migrations and the application) and so could disable its append-only triggers. See
 * docs/security.md#database-roles.
 */
@ApplicationScoped
public class DatabaseRoleCheck {

    private static final Logger LOG = Logger.getLogger(DatabaseRoleCheck.class);

    private final AgroalDataSource dataSource;

    public DatabaseRoleCheck(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    void onStart(@Observes StartupEvent event) {
        if (ownsAuditLog()) {
            LOG.warn("the database user the orchestrator runs as owns audit_log, so its credentials could rewrite "
                    + "the audit log: run migrations as the owner (REPRISE_PG_MIGRATION_USER) and the orchestrator "
                    + "as an application role (REPRISE_PG_USER); see docs/security.md#database-roles");
        }
    }

    /** Whether the user the application connects as owns audit_log (or is a member of its owner). */
    public boolean ownsAuditLog() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select pg_has_role(current_user, t.tableowner, 'USAGE') "
                        + "from pg_tables t where t.tablename = 'audit_log' and t.schemaname = current_schema()")) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            LOG.debugf("cannot check the owner of audit_log: %s", e.getMessage());
            return false;
        }
    }
}
