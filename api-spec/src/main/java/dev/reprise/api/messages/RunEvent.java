package dev.reprise.api.messages;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the agent reports about a run attempt besides metric values: the value type of {@link Topics#RUN_EVENTS}.
 * On the wire each event is a JSON object with a {@code type} field naming its kind (see {@link RunEventType}).
 *
 * <p>{@code seq} counts all events of one (run, attempt) from 0 in the order the agent created them. Delivery is at
 * least once and, across a broker outage, not necessarily in order: consumers order and de-duplicate by {@code seq}.
 */
public sealed interface RunEvent
        permits RunEvent.Started, RunEvent.Heartbeat, RunEvent.LogChunk, RunEvent.Finished, RunEvent.MetricWarning,
        RunEvent.ParamsLogged {

    long runId();

    int attempt();

    long seq();

    /** The training process was started. */
    record Started(long runId, int attempt, long seq, String agentId, long pid, String hostname,
                   List<String> command, String agentVersion, long startedAtMillis) implements RunEvent {
        public Started {
            command = List.copyOf(command);
        }
    }

    /**
     * Periodic liveness and resource usage of the process tree (the training process and its descendants).
     *
     * @param cpuPercent   CPU use since the previous heartbeat (100 = one core busy); null on the first
     * @param cpuSeconds   user + system CPU time of the live processes of the tree
     * @param rssBytes     resident memory of the tree
     * @param processCount processes in the tree
     * @param gpus         one sample per visible GPU; empty where there is no nvidia-smi
     */
    record Heartbeat(long runId, int attempt, long seq, long atMillis, Double cpuPercent, double cpuSeconds,
                     long rssBytes, int processCount, List<GpuSample> gpus) implements RunEvent {
        public Heartbeat {
            gpus = List.copyOf(gpus);
        }
    }

    /**
     * Consecutive output lines of one stream, without line terminators, each cut at the agent's line limit.
     *
     * @param firstLine number of the first line within its stream, counted from 0
     */
    record LogChunk(long runId, int attempt, long seq, LogStream stream, long firstLine, List<String> lines)
            implements RunEvent {
        public LogChunk {
            Objects.requireNonNull(stream, "stream");
            lines = List.copyOf(lines);
        }
    }

    /**
     * The training process is gone (or never started: {@link StopReason#AGENT_ERROR}).
     *
     * @param exitCode the agent's own exit code, which is the process's; 128 + n when it died of signal n
     * @param signal   the signal number when the exit code says the process died of one, else null
     * @param message  why the agent gave up, for {@link StopReason#AGENT_ERROR} (e.g. a data snapshot that does not
     *                 verify); null otherwise. Added later: older agents never send it
     */
    record Finished(long runId, int attempt, long seq, int exitCode, StopReason reason, Integer signal,
                    long finishedAtMillis, String message) implements RunEvent {
        public Finished {
            Objects.requireNonNull(reason, "reason");
        }

        /** A finish without a message. */
        public Finished(long runId, int attempt, long seq, int exitCode, StopReason reason, Integer signal,
                        long finishedAtMillis) {
            this(runId, attempt, seq, exitCode, reason, signal, finishedAtMillis, null);
        }
    }

    /**
     * Metric values the agent rejected since its previous warning.
     *
     * @param count   how many were rejected
     * @param reason  why, e.g. "key longer than 256 characters"
     * @param example the first rejected key, shortened to 64 characters and with control characters escaped
     */
    record MetricWarning(long runId, int attempt, long seq, long count, String reason, String example,
                         long atMillis) implements RunEvent {
        public MetricWarning {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Parameters the training code logged ({@code reprise.log_params}, a {@code {"params": {...}}} line), checked by
     * the agent against MLflow's limits. A parameter is immutable once set: the orchestrator stores each key once and
     * refuses (with a warning on the run) a key logged again with another value.
     *
     * @param params   name to value, at most {@link #MAX_PARAMS} entries, in the order the line had them
     * @param atMillis when the agent saw the line
     */
    record ParamsLogged(long runId, int attempt, long seq, Map<String, String> params, long atMillis)
            implements RunEvent {

        /** MLflow's limit of params per batch; the agent splits larger lines. */
        public static final int MAX_PARAMS = 100;

        public ParamsLogged {
            params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }
    }
}
