package dev.reprise.orchestrator.scheduling;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scheduler settings and the queues trials wait in. Without any {@code reprise.scheduler.queues.*} entry there is
 * one unlimited queue named {@code default}.
 */
@ConfigMapping(prefix = "reprise.scheduler")
public interface SchedulerConfig {

    /** Whether this instance schedules at all (it still needs to win the leader lock). */
    @WithDefault("true")
    boolean enabled();

    /** How often the scheduler looks for work when nothing wakes it earlier. */
    @WithDefault("2s")
    Duration interval();

    /** Most trials launched per scheduling round. */
    @WithDefault("1000")
    int maxLaunchesPerRound();

    /** First backoff after a retryable launch error; doubles per failure up to {@link #maxLaunchBackoff()}. */
    @WithDefault("1s")
    Duration launchBackoff();

    @WithDefault("60s")
    Duration maxLaunchBackoff();

    /** Retries per failure cause (USER_ERROR, OOM_KILLED, TIME_LIMIT, IMAGE_PULL, INFRASTRUCTURE, LAUNCH_ERROR). */
    Map<String, Integer> retries();

    /**
     * Preemptions (evictions, deleted pods, drained nodes) a run may take; the next one fails it with cause PREEMPTED.
     * A cap, so that a trial that can never run (or a cluster that keeps deleting its pods) does not loop forever.
     */
    @WithDefault("5")
    int maxPreemptions();

    /**
     * How often the queue gauges at /q/metrics (trials by state, queue depth, GPUs in use) are read from the
     * database at most; a scrape in between gets the figures of the last read.
     */
    @WithDefault("15s")
    Duration metricsRefresh();

    /** Kafka bootstrap servers the agents report to (as seen from the trials). */
    @WithName("agent-kafka-bootstrap")
    @WithDefault("${kafka.bootstrap.servers}")
    String agentKafkaBootstrap();

    /**
     * The agents' Kafka principal (SASL), given to every trial with its password: on a broker with ACLs it may only
     * write the report topics (docs/security.md). Unset: agents connect without credentials.
     */
    @WithName("agent-kafka-username")
    java.util.Optional<String> agentKafkaUsername();

    @WithName("agent-kafka-password")
    java.util.Optional<String> agentKafkaPassword();

    @WithName("agent-kafka-sasl-mechanism")
    @WithDefault("SCRAM-SHA-512")
    String agentKafkaSaslMechanism();

    Map<String, Queue> queues();

    interface Queue {
        /** Most trials of this queue running at once; unlimited when absent. */
        Optional<Integer> maxRunning();

        /** Most GPUs this queue's trials may hold at once; unlimited when absent. */
        Optional<Integer> gpuQuota();

        /**
         * GPU-hours each project may use in this queue per calendar period ({@link #quotaPeriod()}); no new trial
         * of a project that reached it starts before the next period. Unlimited when absent.
         */
        Optional<Double> projectGpuHours();

        /** The period of {@link #projectGpuHours()}: day, week (ISO, from Monday) or month, in UTC. */
        @WithDefault("month")
        String quotaPeriod();

        Optional<String> priorityClassName();

        Optional<String> serviceAccountName();

        /** Kueue LocalQueue name, set as the kueue.x-k8s.io/queue-name label on the Jobs. */
        Optional<String> kueueQueueName();

        Map<String, String> nodeSelector();

        /** Tolerations as {@code key[=value]:Effect} or {@code key:Exists}. */
        Optional<List<String>> tolerations();
    }
}
