package dev.reprise.agent.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU and memory of a process and its live descendants, read from {@code /proc}. Where there is no {@code /proc}
 * the numbers are 0. CPU percent is computed between consecutive samples (100 = one core); CPU time of
 * descendants that exited in between is not counted, so the percent is a lower bound. Not thread-safe.
 */
public final class ProcessTreeSampler {

    /** One reading. */
    public record Usage(Double cpuPercent, double cpuSeconds, long rssBytes, int processCount) {
    }

    private final ProcessHandle root;
    private final Path proc;
    private long lastNanos = -1;
    private double lastCpuSeconds;

    public ProcessTreeSampler(ProcessHandle root, Path proc) {
        this.root = root;
        this.proc = proc;
    }

    public Usage sample() {
        List<Long> pids = new ArrayList<>();
        if (root.isAlive()) {
            pids.add(root.pid());
        }
        root.descendants().forEach(h -> pids.add(h.pid()));
        long ticks = 0;
        long rss = 0;
        for (long pid : pids) {
            ticks += read(pid, "stat").map(s -> ProcStat.cpuTicks(s).orElse(0)).orElse(0L);
            rss += read(pid, "status").map(s -> ProcStat.rssBytes(s).orElse(0)).orElse(0L);
        }
        double cpuSeconds = (double) ticks / ProcStat.CLOCK_TICKS_PER_SECOND;
        long now = System.nanoTime();
        Double percent = null;
        if (lastNanos >= 0 && now > lastNanos) {
            percent = Math.max(0, cpuSeconds - lastCpuSeconds) * 100.0 / ((now - lastNanos) / 1e9);
        }
        lastNanos = now;
        lastCpuSeconds = cpuSeconds;
        return new Usage(percent, cpuSeconds, rss, pids.size());
    }

    private java.util.Optional<String> read(long pid, String file) {
        try {
            byte[] bytes = Files.readAllBytes(proc.resolve(Long.toString(pid)).resolve(file));
            return java.util.Optional.of(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
