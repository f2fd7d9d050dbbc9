package dev.reprise.orchestrator.persistence;

import static dev.reprise.orchestrator.persistence.AgentReportWriter.timestamp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Warnings about input refused for a run (by the agent or the ingest), inside the caller's transaction; a warning
 * is stored once (its identity is run, attempt, source and origin seq).
 */
final class IngestWarningWriter {

    private static final String WARNING = "insert into ingest_warnings (run_id, attempt, source, origin_seq, reason,"
            + " count, example, at) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";

    private IngestWarningWriter() {
    }

    static void write(Connection c, List<IngestBatch.Warning> warnings) throws SQLException {
        if (warnings.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(WARNING)) {
            for (IngestBatch.Warning w : warnings) {
                ps.setLong(1, w.runId());
                ps.setInt(2, w.attempt());
                ps.setString(3, w.source().column());
                ps.setLong(4, w.originSeq());
                ps.setString(5, w.reason());
                ps.setLong(6, w.count());
                ps.setString(7, w.example());
                ps.setTimestamp(8, timestamp(w.atMillis()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
