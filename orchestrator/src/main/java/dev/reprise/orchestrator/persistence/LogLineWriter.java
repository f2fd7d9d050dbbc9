package dev.reprise.orchestrator.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes output lines inside the caller's transaction, idempotently: copied into a session-local staging table and
 * moved into run_logs with {@code ON CONFLICT DO NOTHING} (a line's identity is run, attempt, rank, stream, line).
 */
final class LogLineWriter {

    private static final String LOG_STAGE = "ingest_log_lines_stage";

    private static final String CREATE_LOG_STAGE = "create temp table if not exists " + LOG_STAGE
            + " (run_id bigint, attempt integer, rank integer, stream smallint, line_no bigint, chunk_seq bigint,"
            + " text text)"
            + " on commit delete rows";

    private static final String MOVE_LOGS = "insert into run_logs (run_id, attempt, rank, stream, line_no, chunk_seq,"
            + " text) select run_id, attempt, rank, stream, line_no, chunk_seq, text from " + LOG_STAGE
            + " order by run_id, attempt, rank, stream, line_no on conflict do nothing";

    private LogLineWriter() {
    }

    /** Stages and moves the lines; returns how many were new. */
    static long write(Connection c, List<IngestBatch.LogLine> lines) throws SQLException {
        if (lines.isEmpty()) {
            return 0;
        }
        try (var st = c.createStatement()) {
            st.execute(CREATE_LOG_STAGE);
        }
        BinaryCopy copy = BinaryCopy.start(c, LOG_STAGE, "run_id, attempt, rank, stream, line_no, chunk_seq, text");
        try {
            for (IngestBatch.LogLine l : lines) {
                copy.row(7).int8(l.runId()).int4(l.attempt()).int4(l.rank()).int2(l.stream()).int8(l.lineNo())
                        .int8(l.chunkSeq()).text(l.text());
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
