package dev.reprise.orchestrator.execution.local;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the local executor ({@code reprise.executor=local}). */
@ConfigMapping(prefix = "reprise.local")
public interface LocalExecutorConfig {

    /** Where each attempt gets its directory (output log, exit code, outputs). */
    @WithDefault("${user.home}/.reprise/trials")
    String workDir();

    /** The agent's jar; by default the first of agent/target/reprise-agent.jar here or in the parent folder. */
    Optional<String> agentJar();

    /** The directory trials run in (relative paths in sweep commands resolve against it); default: this one. */
    Optional<String> trialDir();

    /** After stop, how long the agent gets to stop the training process before everything is killed. */
    @WithDefault("40s")
    Duration killAfter();

    /** Passed to the agent as --grace-period. */
    @WithDefault("30s")
    Duration gracePeriod();

    /** Passed to the agent as --heartbeat-interval. */
    @WithDefault("10s")
    Duration heartbeatInterval();
}
