package dev.reprise.api.trial;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every {@code REPRISE_*} environment variable of a trial: the one place their names are spelled. The orchestrator
 * and its executors write them ({@link TrialEnvironment#toEnv()}), the agent reads them
 * ({@link TrialEnvironment#read(Map)}) and passes some on to the training command.
 */
public enum TrialVariable {

    // set by the orchestrator for every attempt (TrialLaunchFactory)
    RUN_ID("REPRISE_RUN_ID", Source.ORCHESTRATOR, false, "run id; read by the agent, set for the command"),
    ATTEMPT("REPRISE_ATTEMPT", Source.ORCHESTRATOR, false, "attempt number (default 0)"),
    SWEEP_ID("REPRISE_SWEEP_ID", Source.ORCHESTRATOR, false, "sweep id"),
    SWEEP("REPRISE_SWEEP", Source.ORCHESTRATOR, false, "sweep name"),
    PROJECT("REPRISE_PROJECT", Source.ORCHESTRATOR, false, "project"),
    TRIAL_INDEX("REPRISE_TRIAL_INDEX", Source.ORCHESTRATOR, false, "the trial's index in its sweep"),
    PARAMS("REPRISE_PARAMS", Source.ORCHESTRATOR, false, "the trial's parameters as a JSON object"),
    SEED("REPRISE_SEED", Source.ORCHESTRATOR, false, "the trial's seed"),
    OBJECTIVE("REPRISE_OBJECTIVE", Source.ORCHESTRATOR, false, "the sweep's objective metric, if any"),
    KAFKA_BOOTSTRAP("REPRISE_KAFKA_BOOTSTRAP", Source.ORCHESTRATOR, false, "Kafka bootstrap servers for reports"),
    KAFKA_USERNAME("REPRISE_KAFKA_USERNAME", Source.ORCHESTRATOR, false,
            "the agents' Kafka principal (SASL/SCRAM): may only write the report topics"),
    KAFKA_PASSWORD("REPRISE_KAFKA_PASSWORD", Source.ORCHESTRATOR, true, "the agents' Kafka password"),
    KAFKA_SASL_MECHANISM("REPRISE_KAFKA_SASL_MECHANISM", Source.ORCHESTRATOR, false,
            "SASL mechanism of the agents' credential (default SCRAM-SHA-512)"),
    RUN_TOKEN("REPRISE_RUN_TOKEN", Source.ORCHESTRATOR, true,
            "the run attempt's token: report header and bearer token of data download and artifact upload"),
    ARTIFACTS_URL("REPRISE_ARTIFACTS_URL", Source.ORCHESTRATOR, false, "where the agent uploads the output directory"),
    CHECKPOINTS_URL("REPRISE_CHECKPOINTS_URL", Source.ORCHESTRATOR, false,
            "the attempt's checkpoint endpoint: the agent uploads complete checkpoints of REPRISE_CHECKPOINT_DIR there "
                    + "and restores the run's latest from it before the command starts (docs/checkpoints.md)"),
    RENDEZVOUS_URL("REPRISE_RENDEZVOUS_URL", Source.ORCHESTRATOR, false,
            "Kubernetes, distributed trial: where each rank's agent registers its address and waits until every rank "
                    + "is up, learning its rank and rank 0's address (MASTER_ADDR)"),
    DATA_URL("REPRISE_DATA_URL", Source.ORCHESTRATOR, false, "the run's data snapshot download endpoint"),
    DATA_DIR("REPRISE_DATA_DIR", Source.ORCHESTRATOR, false, "where the snapshot's files are (default /data)"),
    DATA_SNAPSHOT("REPRISE_DATA_SNAPSHOT", Source.ORCHESTRATOR, false, "the snapshot id the manifest must hash to"),

    // MLflow's own variables, so that unchanged MLflow code (mlflow.start_run()) attaches to the trial's run
    // (docs/mlflow.md). Not REPRISE_-prefixed; the token is the run token (its value is masked as that secret's),
    // passed on to the command on purpose: it may only write this run.
    MLFLOW_TRACKING_URI("MLFLOW_TRACKING_URI", Source.ORCHESTRATOR, false, "the orchestrator's MLflow API"),
    MLFLOW_TRACKING_TOKEN("MLFLOW_TRACKING_TOKEN", Source.ORCHESTRATOR, false,
            "the run token again, as MLflow's bearer token: reads and writes only this run"),
    MLFLOW_EXPERIMENT_ID("MLFLOW_EXPERIMENT_ID", Source.ORCHESTRATOR, false, "the sweep id (the MLflow experiment)"),
    MLFLOW_RUN_ID("MLFLOW_RUN_ID", Source.ORCHESTRATOR, false, "the run id (the MLflow run)"),

    // set by the executor that starts the trial
    OUTPUT_DIR("REPRISE_OUTPUT_DIR", Source.EXECUTOR, false, "directory uploaded as the run's artifacts"),
    CHECKPOINT_DIR("REPRISE_CHECKPOINT_DIR", Source.EXECUTOR, false,
            "where the command writes checkpoints (step-N/ directories, complete once step-N/COMPLETE exists); they "
                    + "outlive the attempt (docs/checkpoints.md)"),
    TRIAL_DIR("REPRISE_TRIAL_DIR", Source.EXECUTOR, false, "local executor: the attempt's own directory"),
    HOME("REPRISE_HOME", Source.EXECUTOR, false, "local executor: the directory the command starts in"),
    AGENT_WORK_DIR("REPRISE_AGENT_WORK_DIR", Source.EXECUTOR, false,
            "agent spill file and default metrics file (default $TMPDIR/reprise-agent/RUN-ATTEMPT)"),
    CONFIG_FILE("REPRISE_CONFIG_FILE", Source.EXECUTOR, false, "Kubernetes: the run's resolved configuration"),
    NODE_NAME("REPRISE_NODE_NAME", Source.EXECUTOR, false, "Kubernetes: the node the pod runs on"),
    POD_NAME("REPRISE_POD_NAME", Source.EXECUTOR, false, "Kubernetes: the pod's name"),
    NNODES("REPRISE_NNODES", Source.EXECUTOR, false,
            "distributed trial (resources.nodes > 1): how many nodes (ranks) it spans; also NNODES and WORLD_SIZE"),
    NODE_RANK("REPRISE_NODE_RANK", Source.EXECUTOR, false,
            "distributed trial: this node's rank, 0 to NNODES - 1 (rank 0 reports for the run); also NODE_RANK, RANK"),
    POD_IP("REPRISE_POD_IP", Source.EXECUTOR, false,
            "Kubernetes, distributed trial: the pod's IP, registered at the rendezvous (rank 0's becomes MASTER_ADDR)"),

    // read by the agent when an operator sets them (images, node setup)
    DATA_CACHE("REPRISE_DATA_CACHE", Source.OPERATOR, false, "blob cache kept between runs on the node"),
    AGENT_LOG_LEVEL("REPRISE_AGENT_LOG_LEVEL", Source.OPERATOR, false, "level of kafka-clients' log (default error)"),

    // set by the agent for the training command
    AGENT_ID("REPRISE_AGENT_ID", Source.AGENT, false, "this agent instance: host name + 8 hex digits"),
    METRICS_FILE("REPRISE_METRICS_FILE", Source.AGENT, false, "JSON-lines file the command may append metrics to"),
    RESUME_STEP("REPRISE_RESUME_STEP", Source.AGENT, false,
            "the step of the checkpoint restored into REPRISE_CHECKPOINT_DIR (step-N/): train from step N + 1; unset "
                    + "when the attempt starts from scratch");

    /** The prefix of every variable; a sweep's own {@code env} may not use it. */
    public static final String PREFIX = "REPRISE_";

    /** Who sets a variable. */
    public enum Source {
        ORCHESTRATOR, EXECUTOR, OPERATOR, AGENT
    }

    private static final Map<String, TrialVariable> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(TrialVariable::variable, Function.identity()));

    private final String variable;
    private final Source source;
    private final boolean secret;
    private final String meaning;

    TrialVariable(String variable, Source source, boolean secret, String meaning) {
        this.variable = variable;
        this.source = source;
        this.secret = secret;
        this.meaning = meaning;
    }

    /** The environment variable's name, e.g. {@code REPRISE_RUN_ID}. */
    public String variable() {
        return variable;
    }

    public Source source() {
        return source;
    }

    /** A credential: masked in stored logs, never passed on to the training command by the agent. */
    public boolean secret() {
        return secret;
    }

    public String meaning() {
        return meaning;
    }

    /** The variable of this name, if it is one of the contract's. */
    public static Optional<TrialVariable> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Whether the variable is one of MLflow's, set by Reprise under MLflow's own name. */
    public boolean mlflow() {
        return variable.startsWith("MLFLOW_");
    }

    /** Whether a name is reserved for Reprise (a sweep's own {@code env} must not set it). */
    public static boolean reserved(String name) {
        return name.startsWith(PREFIX);
    }
}
