package dev.reprise.agent.report;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A first-in first-out queue of envelopes on disk, used when the in-memory buffer is full. Records are appended as
 * (topic, key, length, bytes); a read position moves through the file and the file is emptied once read to its end.
 * Not thread-safe: the {@link Outbox} guards it.
 */
final class SpillFile implements AutoCloseable {

    private final Path path;
    private final long limitBytes;
    private DataOutputStream out;
    private long writtenBytes;
    private long readOffset;
    private long count;

    SpillFile(Path path, long limitBytes) {
        this.path = path;
        this.limitBytes = limitBytes;
    }

    /** Appends {@code e}; false when the file is at its size limit or cannot be written. */
    boolean append(Envelope e) {
        if (writtenBytes + recordBytes(e.topic(), e.key(), e.value().length) > limitBytes) {
            return false;
        }
        try {
            if (out == null) {
                PrivateDirectories.create(path.getParent());
                out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(path.toFile(), true), 1 << 16));
            }
            out.writeUTF(e.topic());
            out.writeUTF(e.key());
            out.writeInt(e.value().length);
            out.write(e.value());
            writtenBytes += recordBytes(e.topic(), e.key(), e.value().length);
            count++;
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    /** Reads the oldest envelopes, about {@code maxBytes} of them (at least one when not empty). */
    List<Envelope> read(long maxBytes) throws IOException {
        List<Envelope> result = new ArrayList<>();
        if (count == 0) {
            return result;
        }
        out.flush();
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "r")) {
            raf.seek(readOffset);
            InputStream in = Channels.newInputStream(raf.getChannel());
            DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
            long bytes = 0;
            while (count > 0 && (result.isEmpty() || bytes < maxBytes)) {
                String topic = data.readUTF();
                String key = data.readUTF();
                byte[] value = new byte[data.readInt()];
                data.readFully(value);
                Envelope e = new Envelope(topic, key, value);
                result.add(e);
                bytes += e.size();
                readOffset += recordBytes(topic, key, value.length);
                count--;
            }
        }
        if (count == 0) {
            reset();
        }
        return result;
    }

    /** Forgets everything not yet read (after a read error); returns how many envelopes were lost. */
    long discard() {
        long lost = count;
        count = 0;
        try {
            reset();
        } catch (IOException e) {
            out = null;
        }
        return lost;
    }

    long count() {
        return count;
    }

    Path path() {
        return path;
    }

    private void reset() throws IOException {
        if (out != null) {
            out.close();
        }
        out = null;
        Files.deleteIfExists(path);
        writtenBytes = 0;
        readOffset = 0;
    }

    /** Bytes of one record: writeUTF's 2-byte length + modified UTF-8 (ASCII here: topics and decimal keys). */
    private static long recordBytes(String topic, String key, int valueLength) {
        return 2L + topic.length() + 2 + key.length() + 4 + valueLength;
    }

    @Override
    public void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            // nothing left to do with it
        }
    }
}
