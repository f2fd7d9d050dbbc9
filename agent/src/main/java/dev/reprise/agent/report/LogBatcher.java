package dev.reprise.agent.report;

import dev.reprise.api.messages.LogStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Ships output lines as {@code LogChunk} events, per stream, when a chunk reaches {@code maxLines} or
 * {@code maxChars} or its first line has waited {@code lingerMillis}. Lines longer than {@link #MAX_LINE_CHARS}
 * are cut (the pass-through to the container log is never cut). Thread-safe.
 */
public final class LogBatcher {

    public static final int MAX_LINE_CHARS = 16 * 1024;

    private final RunContext run;
    private final Reporter reporter;
    private final int maxLines;
    private final int maxChars;
    private final long lingerMillis;
    private final Map<LogStream, Chunk> chunks = new EnumMap<>(LogStream.class);

    public LogBatcher(RunContext run, Reporter reporter, int maxLines, int maxChars, long lingerMillis) {
        this.run = run;
        this.reporter = reporter;
        this.maxLines = maxLines;
        this.maxChars = maxChars;
        this.lingerMillis = lingerMillis;
        for (LogStream s : LogStream.values()) {
            chunks.put(s, new Chunk());
        }
    }

    public synchronized void line(LogStream stream, String line, long nowMillis) {
        Chunk c = chunks.get(stream);
        String text = line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) : line;
        if (!c.lines.isEmpty() && c.chars + text.length() > maxChars) {
            send(stream, c);
        }
        if (c.lines.isEmpty()) {
            c.firstAtMillis = nowMillis;
        }
        c.lines.add(text);
        c.chars += text.length();
        if (c.lines.size() >= maxLines) {
            send(stream, c);
        }
    }

    public synchronized void flushIfDue(long nowMillis) {
        chunks.forEach((stream, c) -> {
            if (!c.lines.isEmpty() && nowMillis - c.firstAtMillis >= lingerMillis) {
                send(stream, c);
            }
        });
    }

    public synchronized void flush() {
        chunks.forEach((stream, c) -> {
            if (!c.lines.isEmpty()) {
                send(stream, c);
            }
        });
    }

    private void send(LogStream stream, Chunk c) {
        reporter.event(run.logChunk(stream, c.nextLine, c.lines));
        c.nextLine += c.lines.size();
        c.lines = new ArrayList<>();
        c.chars = 0;
    }

    private static final class Chunk {
        private List<String> lines = new ArrayList<>();
        private long nextLine;
        private long chars;
        private long firstAtMillis;
    }
}
