package dev.reprise.api.messages;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/** Kafka record headers the agent sets on every report and the orchestrator's ingest reads. */
public final class RunHeaders {

    /**
     * The run attempt's token ({@code rpr_run_RUN_ATTEMPT_MAC}): the ingest dead-letters a record whose token does
     * not name the record's own run attempt. Only brokers that refuse agents read access may carry it (the agent
     * credential can only write the report topics; see docs/security.md).
     */
    public static final String RUN_TOKEN = "reprise-run-token";

    /**
     * The node rank of the reporting agent in a distributed trial ({@code resources.nodes} &gt; 1), as decimal text:
     * {@code 0} … {@code N-1}. Absent on the reports of an ordinary trial (and of agents older than the per-rank
     * contract), which count as rank 0. Rank 0 reports for the run (metrics, params, artifacts, the run's logs and
     * heartbeats); every rank's started, heartbeat, log and finished events are also kept per rank. Event sequence
     * numbers ({@link RunEvent#seq()}) count per (run, attempt, rank): each rank's agent counts its own.
     */
    public static final String RANK = "reprise-rank";

    /** The highest rank a report may carry (ranks are below {@code reprise.sweeps.max-nodes}, at most this + 1). */
    public static final int MAX_RANK = 4095;

    private RunHeaders() {
    }

    /** The header value of rank {@code rank}. */
    public static byte[] rankValue(int rank) {
        return Integer.toString(rank).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The rank a {@link #RANK} header value names: empty for a value that is not a rank (not a decimal integer in
     * 0 … {@link #MAX_RANK}).
     */
    public static OptionalInt parseRank(byte[] value) {
        if (value == null || value.length == 0 || value.length > 4) {
            return OptionalInt.empty();
        }
        int rank = 0;
        for (byte b : value) {
            if (b < '0' || b > '9') {
                return OptionalInt.empty();
            }
            rank = rank * 10 + (b - '0');
        }
        return rank <= MAX_RANK ? OptionalInt.of(rank) : OptionalInt.empty();
    }
}
