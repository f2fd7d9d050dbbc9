package dev.reprise.orchestrator.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** How an ingest transaction records refused input (ingest_warnings, once per origin). */
final class IngestWarnings {

    private static final String WARNING = "insert into ingest_warnings (run_id, attempt, source, origin_seq, reason,"
            + " count, example, at) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";

    private IngestWarnings() {
    }

    static void writeWarnings(Connection c, List<IngestBatch.Warning> warnings) throws SQLException {
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
                ps.setTimestamp(8, AgentReportWrites.timestamp(w.atMillis()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
