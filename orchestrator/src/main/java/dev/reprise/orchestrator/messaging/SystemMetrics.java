package dev.reprise.orchestrator.messaging;

import dev.reprise.api.messages.GpuSample;
import dev.reprise.api.messages.MetricKeys;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.orchestrator.persistence.IngestBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a heartbeat's telemetry into ordinary metric points under the reserved {@code sys/} prefix, so that the
 * dashboard charts CPU, memory and GPUs like any metric. Each point's step and seq are the heartbeat's event seq,
 * which makes its identity unique and a redelivered heartbeat harmless. Missing readings (null) give no point.
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><td>sys/cpu.percent</td><td>CPU use since the previous heartbeat, 100 = one core</td></tr>
 *   <tr><td>sys/cpu.seconds</td><td>user + system CPU time of the process tree</td></tr>
 *   <tr><td>sys/mem.rss_bytes</td><td>resident memory of the process tree</td></tr>
 *   <tr><td>sys/proc.count</td><td>processes in the tree</td></tr>
 *   <tr><td>sys/gpu.N.util</td><td>GPU N utilisation, percent</td></tr>
 *   <tr><td>sys/gpu.N.mem_used_mib, sys/gpu.N.mem_total_mib</td><td>GPU N memory</td></tr>
 *   <tr><td>sys/gpu.N.power_w</td><td>GPU N board power</td></tr>
 *   <tr><td>sys/gpu.N.temp_c</td><td>GPU N temperature</td></tr>
 *   <tr><td>sys/gpu.N.sm_clock_mhz</td><td>GPU N SM clock</td></tr>
 * </table>
 */
public final class SystemMetrics {

    private SystemMetrics() {
    }

    public static List<IngestBatch.Point> points(RunEvent.Heartbeat h) {
        List<IngestBatch.Point> out = new ArrayList<>();
        Emitter e = new Emitter(h, out);
        e.add("cpu.percent", h.cpuPercent());
        e.add("cpu.seconds", h.cpuSeconds());
        e.add("mem.rss_bytes", (double) h.rssBytes());
        e.add("proc.count", (double) h.processCount());
        for (GpuSample g : h.gpus()) {
            String prefix = "gpu." + g.index() + ".";
            e.add(prefix + "util", number(g.utilizationGpuPercent()));
            e.add(prefix + "mem_used_mib", number(g.memoryUsedMiB()));
            e.add(prefix + "mem_total_mib", number(g.memoryTotalMiB()));
            e.add(prefix + "power_w", g.powerDrawW());
            e.add(prefix + "temp_c", number(g.temperatureC()));
            e.add(prefix + "sm_clock_mhz", number(g.smClockMHz()));
        }
        return out;
    }

    private static Double number(Number n) {
        return n == null ? null : n.doubleValue();
    }

    private record Emitter(RunEvent.Heartbeat h, List<IngestBatch.Point> out) {
        void add(String name, Double value) {
            if (value != null) {
                out.add(new IngestBatch.Point(h.runId(), h.attempt(), MetricKeys.SYSTEM_PREFIX + name, h.seq(),
                        h.seq(), h.atMillis(), value, true));
            }
        }
    }
}
