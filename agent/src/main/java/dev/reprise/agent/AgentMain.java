package dev.reprise.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.reprise.agent.distributed.DistributedRank;
import dev.reprise.agent.process.SignalForwarding;
import dev.reprise.agent.report.Reporter;
import dev.reprise.agent.telemetry.NvidiaSmi;
import dev.reprise.agent.telemetry.NvidiaSmiCsv;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** Entry point of {@code reprise-agent}. */
public final class AgentMain {

    private AgentMain() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("version"))) {
            out.println("reprise-agent " + version());
            return 0;
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(usage());
            return 0;
        }
        if (args.length >= 1 && args[0].equals("run")) {
            return runCommand(List.of(args).subList(1, args.length), System.getenv(), err);
        }
        if (args.length >= 1 && args[0].equals("gpu-sample")) {
            return gpuSample(Arrays.asList(args).contains("--raw"), out, err);
        }
        err.println(usage());
        return 2;
    }

    private static int runCommand(List<String> args, Map<String, String> env, PrintStream err) {
        AgentLog log = new AgentLog(err);
        AgentOptions options;
        try {
            options = AgentOptions.parse(args, env);
        } catch (AgentOptions.UsageException e) {
            log.warn(e.getMessage());
            err.println(usage());
            return 2;
        }
        String agentId = Hosts.agentId(env);
        java.util.concurrent.atomic.AtomicReference<java.util.function.Consumer<String>> onStop =
                new java.util.concurrent.atomic.AtomicReference<>(signal -> { });
        java.util.concurrent.atomic.AtomicReference<String> stoppedBy = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.function.Consumer<String> forward = signal -> {
            stoppedBy.compareAndSet(null, signal);
            onStop.get().accept(signal);
        };
        if (!SignalForwarding.install(forward)) {
            log.warn("cannot handle SIGTERM/SIGINT here: on shutdown the process gets SIGTERM from a shutdown hook");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> forward.accept("TERM"), "reprise-shutdown"));
        }
        Map<String, String> commandEnv = Map.of();
        Map<String, String> runEnv = env;
        java.util.OptionalInt nodeRank = placedRank(env);
        DistributedRank rank = DistributedRank.of(env, options, log);
        if (rank != null) {
            onStop.set(signal -> rank.cancel());
            if (stoppedBy.get() != null) {
                rank.cancel();
            }
            DistributedRank.Outcome outcome = rank.join();
            if (!(outcome instanceof DistributedRank.Joined j)) {
                return ((DistributedRank.NotJoined) outcome).exitCode();
            }
            commandEnv = j.ready().env();
            nodeRank = java.util.OptionalInt.of(j.ready().rank());
        }
        if (nodeRank.isPresent() && nodeRank.getAsInt() > 0) {
            // rank 0 reports for the run (metrics, params, artifacts); the others report their own start, heartbeats,
            // logs and exit, each under its rank, and keep their outputs
            runEnv = new java.util.HashMap<>(env);
            runEnv.remove(dev.reprise.api.trial.TrialVariable.ARTIFACTS_URL.variable());
        }
        Reporter reporter = Reporters.create(options, agentId, runEnv, nodeRank, log);
        AgentRun run = new AgentRun(options, runEnv, new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err), log, reporter, agentId).withCommandEnv(commandEnv)
                .withRank(nodeRank);
        onStop.set(run::requestStop);
        if (stoppedBy.get() != null) {
            run.requestStop(stoppedBy.get());
        }
        try {
            return run.execute();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * The node rank an executor placed this agent at itself (the local executor: {@code REPRISE_NNODES} &gt; 1 and
     * {@code REPRISE_NODE_RANK} set, no rendezvous); empty for an ordinary trial.
     */
    static java.util.OptionalInt placedRank(Map<String, String> env) {
        dev.reprise.api.trial.TrialEnvironment trial = dev.reprise.api.trial.TrialEnvironment.read(env);
        try {
            int nodes = Integer.parseInt(trial.get(dev.reprise.api.trial.TrialVariable.NNODES).orElse("1").strip());
            String rank = trial.get(dev.reprise.api.trial.TrialVariable.NODE_RANK).orElse("").strip();
            if (nodes < 2 || rank.isEmpty()) {
                return java.util.OptionalInt.empty();
            }
            int r = Integer.parseInt(rank);
            return r >= 0 && r < nodes ? java.util.OptionalInt.of(r) : java.util.OptionalInt.empty();
        } catch (NumberFormatException e) {
            return java.util.OptionalInt.empty();
        }
    }

    /** Hidden diagnostic: one parsed nvidia-smi sample as JSON (with {@code --raw}, the CSV too, on stderr). */
    private static int gpuSample(boolean raw, PrintStream out, PrintStream err) {
        Optional<NvidiaSmi> smi = NvidiaSmi.find(System.getenv("PATH"));
        if (smi.isEmpty()) {
            err.println("reprise-agent: nvidia-smi not found on PATH");
            return 1;
        }
        Optional<String> csv = smi.get().queryRaw();
        if (csv.isEmpty()) {
            err.println("reprise-agent: nvidia-smi failed or timed out");
            return 1;
        }
        if (raw) {
            err.print(csv.get());
        }
        try {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            out.println(mapper.writeValueAsString(NvidiaSmiCsv.parse(csv.get(), NvidiaSmiCsv.QUERY_FIELDS)));
            return 0;
        } catch (IOException e) {
            err.println("reprise-agent: " + e.getMessage());
            return 1;
        }
    }

    static String usage() {
        return String.join(System.lineSeparator(),
                "Usage: reprise-agent run --run-id ID [options] -- COMMAND [ARGS...]",
                "       reprise-agent --version",
                "",
                "Runs COMMAND as a child process, passes its output through unchanged,",
                "captures its metrics and reports them to the Reprise orchestrator over Kafka.",
                "",
                "Options (environment variable in brackets):",
                "  --run-id ID                 run id [REPRISE_RUN_ID], required",
                "  --attempt N                 attempt number [REPRISE_ATTEMPT], default 0",
                "  --kafka-bootstrap HOSTS     Kafka bootstrap servers [REPRISE_KAFKA_BOOTSTRAP];",
                "                              without it nothing is reported",
                "  --heartbeat-interval DUR    default 10s",
                "  --grace-period DUR          time between forwarded SIGTERM and SIGKILL, default 30s",
                "  --flush-timeout DUR         time to deliver reports after exit, default 30s",
                "  --metric-format LIST        json,kv (default), colon, none",
                "  --metric-regex REGEX        extra metric pattern, repeatable (see docs/metrics.md)",
                "  --metrics-file PATH         JSON-lines file to follow [REPRISE_METRICS_FILE],",
                "                              default WORK_DIR/metrics.jsonl",
                "  --work-dir DIR              [REPRISE_AGENT_WORK_DIR], default $TMPDIR/reprise-agent/RUN-ATTEMPT",
                "  --buffer-size SIZE          report buffer in memory, default 32m",
                "  --spill-limit SIZE          report buffer on disk when memory is full, default 1g",
                "  --no-logs                   do not ship output lines as log events",
                "  --data-manifest-url URL     data snapshot to materialise before COMMAND starts [REPRISE_DATA_URL]:",
                "                              the orchestrator's /api/v1/snapshots/ID/download; every file is",
                "                              verified; exit 65 if the data does not verify, 69 if it cannot be",
                "                              fetched or written (the command is not started)",
                "  --data-dir DIR              where the snapshot goes [REPRISE_DATA_DIR], default /data",
                "  --data-cache DIR            blob cache kept between runs [REPRISE_DATA_CACHE]");
    }

    static String version() {
        try (InputStream in = AgentMain.class.getResourceAsStream("/reprise-agent.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
