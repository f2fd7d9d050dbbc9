package dev.reprise.orchestrator.messaging;

import dev.reprise.api.messages.Topics;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.execution.TrialObservation;
import dev.reprise.orchestrator.persistence.AgentSilence;
import dev.reprise.orchestrator.scheduling.RunLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntPredicate;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

/**
 * Marks a run LOST when the agent of its current, unfinished attempt has not been heard from for
 * {@code reprise.ingest.heartbeat-timeout}, by applying {@link TrialObservation.Lost} through {@link RunLifecycle}
 * (which ignores it for a run that has moved on). Only LAUNCHING and RUNNING runs qualify: a run whose agent never
 * reported is the executor's to judge.
 *
 * <p>A distributed trial's ranks other than 0 report their own heartbeats ({@code rank_reports}): one that falls
 * silent for as long marks the run LOST too, with a message naming the rank and its host, and its trial is stopped
 * (every rank: one trial, one fate).
 *
 * <p>Silence only counts when the ingest could have heard: the caller passes which run-events partitions this
 * instance owns and has consumed (nearly) to the end, and each run's partition is computed like the producer's.
 */
@ApplicationScoped
public class LostRunCheck {

    private static final Logger LOG = Logger.getLogger(LostRunCheck.class);
    private static final List<String> WATCHED = List.of(RunState.LAUNCHING.name(), RunState.RUNNING.name());

    private final AgentSilence store;
    private final RunLifecycle lifecycle;
    private final Duration timeout;
    private final dev.reprise.orchestrator.scheduling.Executors executors;

    public LostRunCheck(AgentSilence store, RunLifecycle lifecycle, IngestConfig config,
            dev.reprise.orchestrator.scheduling.Executors executors) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.timeout = config.heartbeatTimeout();
        this.executors = executors;
    }

    /**
     * Marks the silent attempts whose run-events partition {@code heard} accepts; returns how many runs became LOST.
     */
    public int markSilentRuns(IntPredicate heard, int partitionCount) throws SQLException {
        int marked = 0;
        for (AgentSilence.SilentAttempt s : store.silentAttempts(timeout, WATCHED)) {
            if (!heard.test(partition(s.runId(), partitionCount))) {
                continue;
            }
            String message = "no heartbeat from the agent for more than " + timeout.toSeconds() + " s (last at "
                    + s.lastSeen() + ")";
            if (lifecycle.observe(new TrialObservation.Lost(s.runId(), s.attempt(), Instant.now(), message))) {
                LOG.infof("run %d attempt %d marked LOST: %s", s.runId(), s.attempt(), message);
                marked++;
            }
        }
        for (AgentSilence.SilentRank s : store.silentRanks(timeout, WATCHED)) {
            if (!heard.test(partition(s.runId(), partitionCount))) {
                continue;
            }
            String message = silentRankMessage(s, timeout);
            if (lifecycle.observe(new TrialObservation.Lost(s.runId(), s.attempt(), Instant.now(), message))) {
                LOG.infof("run %d attempt %d marked LOST: %s", s.runId(), s.attempt(), message);
                executors.active().ifPresent(e -> e.stop(s.runId(), s.attempt()));
                marked++;
            }
        }
        return marked;
    }

    /** "rank 1 (host h7): no heartbeat from its agent for more than 60 s (last at …); the other ranks were stopped". */
    static String silentRankMessage(AgentSilence.SilentRank s, Duration timeout) {
        return "rank " + s.rank() + (s.hostname() == null ? "" : " (host " + s.hostname() + ")")
                + ": no heartbeat from its agent for more than " + timeout.toSeconds() + " s (last at " + s.lastSeen()
                + "); the other ranks were stopped";
    }

    /** The partition the agent's records of this run go to (Kafka's default partitioner for a keyed record). */
    static int partition(long runId, int partitionCount) {
        byte[] key = Topics.key(runId).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % partitionCount;
    }
}
