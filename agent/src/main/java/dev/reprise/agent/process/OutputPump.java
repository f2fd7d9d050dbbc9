package dev.reprise.agent.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * Copies one output stream of the training process to the agent's own, unchanged and flushed after every read so
 * the container log sees it at once, and hands each complete line to a consumer that must not block. A failing
 * target (closed pipe) does not stop the copy: the process must never stall on a full pipe.
 */
public final class OutputPump implements Runnable {

    static final int MAX_LINE_BYTES = 64 * 1024;

    private final InputStream from;
    private final OutputStream to;
    private final LineAssembler lines;
    private volatile boolean targetBroken;

    public OutputPump(InputStream from, OutputStream to, Consumer<String> lineConsumer) {
        this.from = from;
        this.to = to;
        this.lines = new LineAssembler(MAX_LINE_BYTES, lineConsumer);
    }

    /** Starts the pump on a daemon thread. */
    public Thread start(String name) {
        Thread t = new Thread(this, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void run() {
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while ((n = from.read(buf)) >= 0) {
                if (n == 0) {
                    continue;
                }
                passThrough(buf, n);
                lines.accept(buf, 0, n);
            }
        } catch (IOException e) {
            // stream closed under us: the process is gone
        } finally {
            lines.finish();
        }
    }

    private void passThrough(byte[] buf, int n) {
        if (targetBroken) {
            return;
        }
        try {
            to.write(buf, 0, n);
            to.flush();
        } catch (IOException e) {
            targetBroken = true;
        }
    }
}
