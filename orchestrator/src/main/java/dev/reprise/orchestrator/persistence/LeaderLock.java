package dev.reprise.orchestrator.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Leader election through a PostgreSQL session-level advisory lock: the replica whose connection holds the lock
 * schedules; if that connection dies (crash, network), PostgreSQL releases the lock and another replica takes over.
 */
@ApplicationScoped
public class LeaderLock {

    /** "reprise" in ASCII, as the lock key shared by every replica. */
    static final long KEY = 0x7265707269736500L;
    private static final Logger LOG = Logger.getLogger(LeaderLock.class);

    private final AgroalDataSource dataSource;
    private Connection connection;

    public LeaderLock(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Whether this instance is (still, or now) the leader. Cheap when already leading. */
    public synchronized boolean holdOrAcquire() {
        try {
            if (connection != null) {
                if (connection.isValid(2)) {
                    return true;
                }
                LOG.warn("lost the scheduler leader lock (connection broken)");
                closeQuietly();
            }
            Connection c = dataSource.getConnection();
            try (PreparedStatement st = c.prepareStatement("select pg_try_advisory_lock(?)")) {
                st.setLong(1, KEY);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        connection = c;
                        LOG.info("this instance is now the scheduler leader");
                        return true;
                    }
                }
            }
            c.close();
            return false;
        } catch (SQLException e) {
            LOG.warnf("leader lock check failed: %s", e.getMessage());
            closeQuietly();
            return false;
        }
    }

    public synchronized void release() {
        if (connection != null) {
            try (PreparedStatement st = connection.prepareStatement("select pg_advisory_unlock(?)")) {
                st.setLong(1, KEY);
                st.execute();
            } catch (SQLException e) {
                LOG.debugf("unlock failed: %s", e.getMessage());
            }
            closeQuietly();
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the lock goes with the session
            }
            connection = null;
        }
    }
}
