package dev.reprise.orchestrator.domain.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one attempt is charged. Wall time runs from the executor's observation that the attempt started (the pod or
 * process running) to its observation that it ended, never from what the trainer says; an attempt that never
 * started costs nothing, one still running is charged up to now. GPU-seconds are nodes × GPUs per node × wall time;
 * CPU-seconds are the CPU the attempt requested (nodes × cores per node) × wall time. Pure.
 */
public final class Accounting {

    private static final Pattern CPU = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(m?)");

    private Accounting() {
    }

    /**
     * Seconds of the attempt's wall time inside {@code [from, to)}; {@code end} null = still running at {@code now}.
     * {@code from}/{@code to} null = unbounded.
     */
    public static double wallSeconds(Instant start, Instant end, Instant now, Instant from, Instant to) {
        if (start == null) {
            return 0;
        }
        Instant s = from != null && from.isAfter(start) ? from : start;
        Instant e = end != null ? end : now;
        if (to != null && to.isBefore(e)) {
            e = to;
        }
        return e.isAfter(s) ? Duration.between(s, e).toMillis() / 1000.0 : 0;
    }

    /** GPU-seconds of an attempt holding {@code nodes} × {@code gpusPerNode} GPUs for {@code wallSeconds}. */
    public static double gpuSeconds(int nodes, int gpusPerNode, double wallSeconds) {
        return (double) Math.max(nodes, 1) * Math.max(gpusPerNode, 0) * wallSeconds;
    }

    /** GPU-seconds of an attempt inside {@code [from, to)}: {@link #wallSeconds} × nodes × GPUs per node. */
    public static double gpuSeconds(int nodes, int gpusPerNode, Instant start, Instant end, Instant now, Instant from,
            Instant to) {
        return gpuSeconds(nodes, gpusPerNode, wallSeconds(start, end, now, from, to));
    }

    /** CPU-seconds requested: nodes × cores per node ({@code "2"}, {@code "0.5"}, {@code "500m"}) × wall time. */
    public static double cpuSeconds(int nodes, String cpuPerNode, double wallSeconds) {
        return Math.max(nodes, 1) * cores(cpuPerNode) * wallSeconds;
    }

    /** Cores of a Kubernetes CPU quantity; 0 when none was requested. */
    public static double cores(String quantity) {
        if (quantity == null) {
            return 0;
        }
        Matcher m = CPU.matcher(quantity.strip());
        if (!m.matches()) {
            return 0;
        }
        double n = Double.parseDouble(m.group(1));
        return m.group(2).isEmpty() ? n : n / 1000.0;
    }

    /** How an attempt ended, for showing preempted and failed attempts apart from the rest. */
    public enum Outcome {
        /** Ended on its own terms: succeeded, stopped early or cancelled. */
        COMPLETED,
        /** Evicted or preempted by the platform (the run was requeued). */
        PREEMPTED,
        /** Failed or lost, whether or not it was retried. */
        FAILED,
        /** Not ended yet (charged up to now). */
        RUNNING;

        /** The outcome of an attempt in run state {@code state} (a RunState name). */
        public static Outcome of(String state) {
            return switch (state) {
                case "PREEMPTED" -> PREEMPTED;
                case "FAILED", "LOST" -> FAILED;
                case "QUEUED", "LAUNCHING", "RUNNING" -> RUNNING;
                default -> COMPLETED;
            };
        }
    }
}
