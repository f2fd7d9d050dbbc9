package dev.reprise.agent.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The queue between the agent's producers of messages and the one thread that sends them. {@link #offer} never
 * blocks on the transport: up to {@code memoryLimitBytes} stay in memory, the rest goes to a {@link SpillFile}
 * (and, past its limit, is dropped and counted). Order is first-in first-out; envelopes handed back with
 * {@link #retry} go first. Thread-safe.
 */
final class Outbox implements AutoCloseable {

    private final long memoryLimitBytes;
    private final SpillFile spill;
    private final Deque<Envelope> retries = new ArrayDeque<>();
    private final Deque<Envelope> memory = new ArrayDeque<>();
    private final AtomicLong dropped = new AtomicLong();
    private long memoryBytes;
    private long outstanding;
    private boolean spilling;
    private long spilledTotal;

    Outbox(long memoryLimitBytes, Path spillPath, long spillLimitBytes) {
        this.memoryLimitBytes = memoryLimitBytes;
        this.spill = new SpillFile(spillPath, spillLimitBytes);
    }

    /** Queues {@code e}; false when it had to be dropped (memory and spill file full). */
    synchronized boolean offer(Envelope e) {
        if (!spilling && memoryBytes + e.size() <= memoryLimitBytes) {
            memory.addLast(e);
            memoryBytes += e.size();
            notifyAll();
            return true;
        }
        spilling = true;
        if (spill.append(e)) {
            spilledTotal++;
            notifyAll();
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    /** Puts back a polled envelope whose sending failed; it goes out before everything queued after it. */
    synchronized void retry(Envelope e) {
        outstanding--;
        retries.addLast(e);
        notifyAll();
    }

    /** A polled envelope was delivered. */
    synchronized void delivered() {
        outstanding--;
        notifyAll();
    }

    /** Waits until every offered envelope was delivered; false when {@code timeout} passed first. */
    synchronized boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!isEmpty() || outstanding > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** The next envelope, waiting up to {@code timeout}; null when there is none. */
    synchronized Envelope poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        Envelope e = retries.pollFirst();
        if (e == null) {
            if (memory.isEmpty()) {
                refillFromSpill();
            }
            e = memory.pollFirst();
            if (e != null) {
                memoryBytes -= e.size();
            }
        }
        if (e != null) {
            outstanding++;
        }
        return e;
    }

    synchronized boolean isEmpty() {
        return retries.isEmpty() && memory.isEmpty() && spill.count() == 0;
    }

    /** Envelopes offered and not yet delivered, including those being sent. */
    synchronized long pending() {
        return retries.size() + memory.size() + spill.count() + outstanding;
    }

    synchronized long spilledTotal() {
        return spilledTotal;
    }

    long dropped() {
        return dropped.get();
    }

    Path spillPath() {
        return spill.path();
    }

    private void refillFromSpill() {
        try {
            List<Envelope> loaded = spill.read(Math.max(1, memoryLimitBytes / 2));
            for (Envelope e : loaded) {
                memory.addLast(e);
                memoryBytes += e.size();
            }
        } catch (IOException e) {
            dropped.addAndGet(spill.discard());
        }
        if (spill.count() == 0) {
            spilling = false;
        }
    }

    @Override
    public synchronized void close() {
        spill.close();
    }
}
