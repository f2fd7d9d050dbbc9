package dev.reprise.agent.metrics;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.function.ObjLongConsumer;

/**
 * Follows the JSON-lines file the training process appends to ({@code REPRISE_METRICS_FILE}). Reads only complete
 * lines; a partial last line waits for its newline, except at the {@link #drainFinal() final drain} after the process
 * exited. Survives the file not existing yet and being truncated (reads again from the start). Not thread-safe:
 * one thread polls.
 */
public final class MetricsFileTailer {

    static final int MAX_LINE_BYTES = 1 << 20;

    private final Path file;
    private final MetricsRecorder recorder;
    private final LineParser parser = new JsonLineParser();
    private final LongSupplier clock;
    private final ObjLongConsumer<String> alsoEachLine;
    private long offset;
    private byte[] partial = new byte[0];

    /** Starts after whatever {@code file} already holds: lines from before the agent started are not this run's. */
    public MetricsFileTailer(Path file, MetricsRecorder recorder, LongSupplier clock) {
        this(file, recorder, clock, (line, at) -> { });
    }

    /** Also hands each complete line to {@code alsoEachLine} (the parameter lines' recorder). */
    public MetricsFileTailer(Path file, MetricsRecorder recorder, LongSupplier clock,
                             ObjLongConsumer<String> alsoEachLine) {
        this.file = file;
        this.recorder = recorder;
        this.clock = clock;
        this.alsoEachLine = alsoEachLine;
        this.offset = sizeOrZero(file);
    }

    /** Reads what was appended since the last poll; returns the number of points recorded. */
    public int poll() {
        long size = sizeOrZero(file);
        if (size < offset) {
            offset = 0;
            partial = new byte[0];
        }
        if (size == offset) {
            return 0;
        }
        int points = 0;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(offset);
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                offset += n;
                points += consume(buf, n);
            }
        } catch (IOException e) {
            return points;
        }
        return points;
    }

    /** The last poll, after the process exited: a final line without a newline counts too. */
    public int drainFinal() {
        int points = poll();
        if (partial.length > 0) {
            points += line(new String(partial, StandardCharsets.UTF_8));
            partial = new byte[0];
        }
        return points;
    }

    private int consume(byte[] buf, int n) {
        int points = 0;
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                points += completeLine(buf, start, i);
                start = i + 1;
            }
        }
        if (start < n && partial.length < MAX_LINE_BYTES) {
            byte[] joined = new byte[partial.length + n - start];
            System.arraycopy(partial, 0, joined, 0, partial.length);
            System.arraycopy(buf, start, joined, partial.length, n - start);
            partial = joined;
        }
        return points;
    }

    private int completeLine(byte[] buf, int start, int end) {
        byte[] line = partial;
        if (end > start) {
            line = new byte[partial.length + end - start];
            System.arraycopy(partial, 0, line, 0, partial.length);
            System.arraycopy(buf, start, line, partial.length, end - start);
        }
        partial = new byte[0];
        if (line.length == 0 || line.length > MAX_LINE_BYTES) {
            return 0;
        }
        return line(new String(line, StandardCharsets.UTF_8));
    }

    private int line(String text) {
        long at = clock.getAsLong();
        alsoEachLine.accept(text, at);
        return recorder.recordLine(parser, text, at);
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
