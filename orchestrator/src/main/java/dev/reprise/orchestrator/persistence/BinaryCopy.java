package dev.reprise.orchestrator.persistence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes rows to PostgreSQL with {@code COPY ... FROM STDIN (FORMAT binary)}: no text formatting or parsing on
 * either side, and non-finite doubles travel as their IEEE 754 bits. Columns must be written in the order of the
 * statement's column list, with exactly the column types (int8, int4, int2, float8, text, timestamptz).
 */
public final class BinaryCopy {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in Unix milliseconds. */
    private static final long PG_EPOCH_MILLIS = 946_684_800_000L;

    private final CopyIn copy;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

    private BinaryCopy(CopyIn copy) throws SQLException {
        this.copy = copy;
        buffer.put(SIGNATURE).putInt(0).putInt(0);
    }

    /** Starts {@code COPY table (columns) FROM STDIN (FORMAT binary)} on the connection. */
    public static BinaryCopy start(Connection connection, String table, String columns) throws SQLException {
        String sql = "COPY " + table + " (" + columns + ") FROM STDIN (FORMAT binary)";
        return new BinaryCopy(connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql));
    }

    public BinaryCopy row(int fields) throws SQLException {
        room(2);
        buffer.putShort((short) fields);
        return this;
    }

    public BinaryCopy int8(long value) throws SQLException {
        room(12);
        buffer.putInt(8).putLong(value);
        return this;
    }

    public BinaryCopy int4(int value) throws SQLException {
        room(8);
        buffer.putInt(4).putInt(value);
        return this;
    }

    public BinaryCopy int2(int value) throws SQLException {
        room(6);
        buffer.putInt(2).putShort((short) value);
        return this;
    }

    public BinaryCopy float8(double value) throws SQLException {
        room(12);
        buffer.putInt(8).putLong(Double.doubleToLongBits(value));
        return this;
    }

    /** A timestamptz from Unix epoch milliseconds (callers keep it within PostgreSQL's range). */
    public BinaryCopy timestampMillis(long epochMillis) throws SQLException {
        return int8((epochMillis - PG_EPOCH_MILLIS) * 1000L);
    }

    /** Text as UTF-8; callers must have replaced NUL characters, which PostgreSQL text cannot hold. */
    public BinaryCopy text(String value) throws SQLException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        room(4);
        buffer.putInt(bytes.length);
        if (bytes.length <= buffer.remaining()) {
            buffer.put(bytes);
        } else {
            flush();
            copy.writeToCopy(bytes, 0, bytes.length);
        }
        return this;
    }

    /** Ends the COPY; returns the number of rows PostgreSQL received. */
    public long finish() throws SQLException {
        room(2);
        buffer.putShort((short) -1);
        flush();
        return copy.endCopy();
    }

    /** Abandons the COPY after a failure, so the connection can be used (and rolled back) again. */
    public void cancel() {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // the transaction is rolled back anyway
        }
    }

    private void room(int bytes) throws SQLException {
        if (buffer.remaining() < bytes) {
            flush();
        }
    }

    private void flush() throws SQLException {
        if (buffer.position() > 0) {
            copy.writeToCopy(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
    }
}
