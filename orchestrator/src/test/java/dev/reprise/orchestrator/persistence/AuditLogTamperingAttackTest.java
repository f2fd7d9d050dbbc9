package dev.reprise.orchestrator.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The attack of issue #22 with the application's own database credentials (what a trial that once read
 * REPRISE_PG_PASSWORD had): disable the audit log's append-only triggers, then delete rows. The application's role
 * owns nothing since V13, so both fail; it still appends and reads.
 */
@QuarkusTest
class AuditLogTamperingAttackTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    DatabaseRoleCheck roles;

    private static final String REFUSED = "(?s).*(must be owner|permission denied).*";

    @Test
    void theApplicationsCredentialsCannotDisableTheAuditTriggers() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("alter table audit_log disable trigger user"))
                    .hasMessageMatching(REFUSED);
            assertThatThrownBy(() -> s.execute("alter table audit_log disable trigger audit_log_no_update"))
                    .hasMessageMatching(REFUSED);
            assertThatThrownBy(() -> s.execute("drop trigger audit_log_no_update on audit_log"))
                    .hasMessageMatching(REFUSED);
            assertThatThrownBy(() -> s.execute("create or replace function audit_log_append_only() returns trigger "
                    + "language plpgsql as $$ begin return old; end $$")).hasMessageMatching(REFUSED);
        }
    }

    @Test
    void theApplicationsCredentialsCannotDeleteAuditRowsButStillAppendAndRead() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("insert into audit_log (actor, actor_kind, action, target) "
                    + "values ('attacker', 'test', 'test.append', 'audit_log')");
            assertThatThrownBy(() -> s.executeUpdate("delete from audit_log where action = 'test.append'"))
                    .hasMessageMatching(REFUSED);
            assertThatThrownBy(() -> s.executeUpdate("truncate audit_log")).hasMessageMatching(REFUSED);
            try (ResultSet rs = s.executeQuery("select count(*) from audit_log where action = 'test.append'")) {
                rs.next();
                assertThat(rs.getLong(1)).isPositive();
            }
        }
        assertThat(roles.ownsAuditLog()).isFalse();
    }

    @Test
    void theApplicationsRoleIsNoSuperuserAndCannotCreateRoles() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select rolsuper, rolcreaterole from pg_roles where rolname = current_user")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("superuser").isFalse();
            assertThat(rs.getBoolean(2)).as("createrole").isFalse();
        }
    }
}
