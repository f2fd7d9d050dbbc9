package dev.reprise.orchestrator.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** How an ingest transaction stores log lines: binary COPY into a staging table, then insert-if-new by identity. */
final class LogLineWrites {

    private static final String LOG_STAGE = "ingest_logs_stage";

    private static final String CREATE_LOG_STAGE = "create temp table if not exists " + LOG_STAGE
            + " (run_id bigint, attempt integer, stream smallint, line_no bigint, chunk_seq bigint, text text)"
            + " on commit delete rows";

    private static final String MOVE_LOGS = "insert into run_logs (run_id, attempt, stream, line_no, chunk_seq, text)"
            + " select run_id, attempt, stream, line_no, chunk_seq, text from " + LOG_STAGE
            + " order by run_id, attempt, stream, line_no on conflict do nothing";

    private LogLineWrites() {
    }

    static long writeLogs(Connection c, List<IngestBatch.LogLine> lines) throws SQLException {
        if (lines.isEmpty()) {
            return 0;
        }
        try (var st = c.createStatement()) {
            st.execute(CREATE_LOG_STAGE);
        }
        BinaryCopy copy = BinaryCopy.start(c, LOG_STAGE, "run_id, attempt, stream, line_no, chunk_seq, text");
        try {
            for (IngestBatch.LogLine l : lines) {
                copy.row(6).int8(l.runId()).int4(l.attempt()).int2(l.stream()).int8(l.lineNo()).int8(l.chunkSeq())
                        .text(l.text());
            }
            copy.finish();
        } catch (SQLException | RuntimeException e) {
            copy.cancel();
            throw e;
        }
        try (PreparedStatement move = c.prepareStatement(MOVE_LOGS)) {
            return move.executeUpdate();
        }
    }
}
