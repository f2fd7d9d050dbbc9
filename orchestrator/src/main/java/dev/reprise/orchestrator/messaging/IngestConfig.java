package dev.reprise.orchestrator.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the Kafka ingest of agent reports ({@code reprise.ingest.*}). */
@ConfigMapping(prefix = "reprise.ingest")
public interface IngestConfig {

    /** Whether this instance consumes agent reports at all. */
    @WithDefault("true")
    boolean enabled();

    /** Consumer group: instances of one deployment share it, and split the partitions between them. */
    @WithDefault("reprise-orchestrator")
    String groupId();

    /**
     * Whether to append a random suffix to the group id, so this instance reads every report by itself. For tests
     * that share one broker: parallel test JVMs then neither split nor steal each other's partitions.
     */
    @WithDefault("false")
    boolean privateGroup();

    /** Where a group without committed offsets starts: earliest (lose nothing) or latest. */
    @WithDefault("earliest")
    String autoOffsetReset();

    @WithDefault("reprise.metrics")
    String metricsTopic();

    @WithDefault("reprise.run-events")
    String eventsTopic();

    /** Dead letters of topic T go to T + this suffix. */
    @WithDefault(".dead-letter")
    String deadLetterSuffix();

    /** Records per poll; all of one poll are written in one transaction (a metric record holds up to 500 points). */
    @WithDefault("400")
    int maxPollRecords();

    @WithDefault("500ms")
    Duration pollTimeout();

    /**
     * Parallel write transactions per poll: the poll's reports are split by run, so the transactions touch disjoint
     * rows, and PostgreSQL inserts on that many cores. 1 writes each poll in one transaction.
     */
    @WithDefault("2")
    int writers();

    /** First wait after a failed write (database or Kafka unavailable); doubles up to {@link #maxRetryBackoff}. */
    @WithDefault("500ms")
    Duration retryBackoff();

    @WithDefault("30s")
    Duration maxRetryBackoff();

    /** A running attempt whose agent was not heard from for this long is marked LOST. */
    @WithDefault("60s")
    Duration heartbeatTimeout();

    /** How often to look for silent attempts. */
    @WithDefault("10s")
    Duration lostCheckInterval();

    /**
     * Silent attempts are only marked LOST on run-events partitions that this instance owns and has consumed up to
     * at most this many records behind the end, so a consumer backlog or a broker outage never looks like silence.
     */
    @WithDefault("500")
    long lostMaxLag();
}
