package dev.reprise.agent.process;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into lines at {@code \n}, decoding UTF-8 (bad bytes become U+FFFD). A trailing {@code \r} is
 * dropped and, like a terminal, only the text after the last {@code \r} of a line is kept (progress bars). Lines
 * longer than {@code maxBytes} are cut; the rest up to the newline is skipped. Not thread-safe.
 */
public final class LineAssembler {

    private final int maxBytes;
    private final Consumer<String> lines;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream(256);
    private boolean overflowed;

    public LineAssembler(int maxBytes, Consumer<String> lines) {
        this.maxBytes = maxBytes;
        this.lines = lines;
    }

    public void accept(byte[] buf, int off, int len) {
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (buf[i] == '\n') {
                append(buf, start, i - start);
                emit();
                start = i + 1;
            }
        }
        append(buf, start, end - start);
    }

    /** End of stream: a last line without newline still counts. */
    public void finish() {
        if (current.size() > 0 || overflowed) {
            emit();
        }
    }

    private void append(byte[] buf, int off, int len) {
        int room = maxBytes - current.size();
        if (len > room) {
            overflowed = true;
            len = Math.max(0, room);
        }
        current.write(buf, off, len);
    }

    private void emit() {
        String line = current.toString(StandardCharsets.UTF_8);
        current.reset();
        overflowed = false;
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        int cr = line.lastIndexOf('\r');
        lines.accept(cr >= 0 ? line.substring(cr + 1) : line);
    }
}
