package dev.reprise.agent.process;

import dev.reprise.api.messages.StopReason;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The training process. {@link #requestStop} forwards SIGTERM or SIGINT to it; if it is still alive after the grace
 * period, it and all its descendants are killed (SIGKILL). The stop reason follows from what happened.
 */
public final class ChildProcess {

    private final Process process;
    private final Duration gracePeriod;
    private final ScheduledExecutorService killer;
    private volatile String forwardedSignal;
    private volatile boolean killed;

    private ChildProcess(Process process, Duration gracePeriod) {
        this.process = process;
        this.gracePeriod = gracePeriod;
        this.killer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reprise-agent-killer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts {@code command} with the agent's environment plus {@code extraEnv}; stdin is inherited. */
    public static ChildProcess start(List<String> command, Map<String, String> extraEnv, Duration gracePeriod)
            throws LaunchFailure {
        return start(command, extraEnv, java.util.Set.of(), gracePeriod);
    }

    /** As {@link #start(List, Map, Duration)}, without the agent's variables named in {@code withoutEnv}. */
    public static ChildProcess start(List<String> command, Map<String, String> extraEnv,
            java.util.Set<String> withoutEnv, Duration gracePeriod) throws LaunchFailure {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().keySet().removeAll(withoutEnv);
        pb.environment().putAll(extraEnv);
        try {
            return new ChildProcess(pb.start(), gracePeriod);
        } catch (IOException e) {
            throw LaunchFailure.of(command.get(0), e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public InputStream stdout() {
        return process.getInputStream();
    }

    public InputStream stderr() {
        return process.getErrorStream();
    }

    /**
     * Forwards {@code signal} ("TERM" or "INT") to the process; the first request also arms the forced kill after
     * the grace period. Safe to call from a signal handler thread, and more than once.
     */
    public void requestStop(String signal) {
        if (!process.isAlive()) {
            return;
        }
        boolean first = forwardedSignal == null;
        forwardedSignal = signal;
        send(signal);
        if (first) {
            killer.schedule(this::killTree, gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Waits for the process to exit; returns its exit code (128 + n when killed by signal n). */
    public int waitFor() throws InterruptedException {
        int code = process.waitFor();
        killer.shutdownNow();
        return code;
    }

    /** Why the process stopped, given its exit code. */
    public StopReason stopReason(int exitCode) {
        if (killed) {
            return StopReason.KILLED;
        }
        if (forwardedSignal != null) {
            return StopReason.TERMINATED;
        }
        return exitCode == 0 ? StopReason.COMPLETED : StopReason.FAILED;
    }

    /** The signal number an exit code stands for (128 + n, n in 1..64), else null. */
    public static Integer signalOf(int exitCode) {
        return exitCode > 128 && exitCode <= 128 + 64 ? exitCode - 128 : null;
    }

    /**
     * Signals through the {@link ProcessHandle}: {@code Process.destroy()} would also close our ends of the pipes,
     * losing the process's last words and killing it with SIGPIPE.
     */
    private void send(String signal) {
        if (signal.equals("TERM") || !sendWithKill(signal)) {
            process.toHandle().destroy();
        }
    }

    /** Sends a signal the JDK cannot send itself, through kill(1). */
    private boolean sendWithKill(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void killTree() {
        if (!process.isAlive()) {
            return;
        }
        killed = true;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
    }
}
