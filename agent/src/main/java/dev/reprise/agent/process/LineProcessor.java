package dev.reprise.agent.process;

import dev.reprise.api.messages.LogStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decouples the output pumps from metric parsing and log shipping: pumps {@link #offer} lines without ever waiting
 * (a full queue drops the line for reporting purposes and counts it; the pass-through already happened), and one
 * thread processes them in order.
 */
public final class LineProcessor implements Runnable {

    /** What to do with each line. */
    @FunctionalInterface
    public interface Handler {
        void line(LogStream stream, String text, long atMillis);
    }

    private record Line(LogStream stream, String text, long atMillis) {
    }

    private final BlockingQueue<Line> queue;
    private final Handler handler;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closing;

    public LineProcessor(int capacity, Handler handler) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.handler = handler;
        this.thread = new Thread(this, "reprise-agent-lines");
        thread.setDaemon(true);
    }

    public LineProcessor start() {
        thread.start();
        return this;
    }

    public void offer(LogStream stream, String text) {
        if (!queue.offer(new Line(stream, text, System.currentTimeMillis()))) {
            dropped.incrementAndGet();
        }
    }

    /** Lines not processed because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Processes what is queued, then stops; waits at most {@code timeoutMillis}. */
    public void drainAndStop(long timeoutMillis) throws InterruptedException {
        closing = true;
        thread.join(timeoutMillis);
    }

    @Override
    public void run() {
        try {
            while (true) {
                Line l = queue.poll(50, TimeUnit.MILLISECONDS);
                if (l != null) {
                    handle(l);
                } else if (closing) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(Line l) {
        try {
            handler.line(l.stream(), l.text(), l.atMillis());
        } catch (RuntimeException e) {
            // a bad line must not stop reporting of the others
        }
    }
}
