package dev.reprise.orchestrator.execution.local;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
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

    /**
     * The only variables of the orchestrator's environment a trial gets (when set); everything else (database and
     * S3 credentials, the admin token's file, KUBECONFIG) stays out. A sweep's own {@code env} comes on top.
     */
    @WithDefault("PATH,LANG,LC_ALL,LC_CTYPE,TZ")
    List<String> passEnv();

    /**
     * Run trials as this OS user (name) instead of the orchestrator's: they then cannot read the orchestrator's
     * files (the admin token, its configuration). Needs the orchestrator to run as root; refused otherwise.
     */
    Optional<String> runAsUser();
}
