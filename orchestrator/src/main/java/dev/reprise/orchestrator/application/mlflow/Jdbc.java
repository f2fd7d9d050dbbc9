package dev.reprise.orchestrator.application.mlflow;

import java.sql.Connection;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/** How the MLflow use cases call the stores: an SQL failure becomes MLflow's INTERNAL_ERROR, logged once. */
final class Jdbc {

    private static final Logger LOG = Logger.getLogger(Jdbc.class);

    private Jdbc() {
    }

    interface SqlWork<T> {
        T run() throws SQLException;
    }

    interface SqlStep {
        void run(Connection c) throws SQLException;
    }

    interface Connections {
        Connection open() throws SQLException;
    }

    static <T> T sql(SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** The step in one transaction on a connection of its own. */
    static void transaction(Connections connections, SqlStep step) {
        sql(() -> {
            try (Connection c = connections.open()) {
                c.setAutoCommit(false);
                try {
                    step.run(c);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
            return null;
        });
    }

    static MlflowException failed(SQLException e) {
        LOG.errorf(e, "MLflow API: database error");
        return MlflowException.internal("the database could not complete the request");
    }
}
