package dev.reprise.agent;

import dev.reprise.agent.data.DataOptions;
import dev.reprise.api.trial.TrialEnvironment;
import dev.reprise.api.trial.TrialVariable;
import dev.reprise.agent.metrics.MetricFormats;
import dev.reprise.agent.metrics.RegexParser;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The options of {@code reprise-agent run}. Build with {@link #parse}. The run token (only from the environment,
 * {@code REPRISE_RUN_TOKEN}, never a flag that {@code ps} would show) goes with every report and data download.
 */
public record AgentOptions(
        long runId,
        int attempt,
        Optional<String> kafkaBootstrap,
        Duration heartbeatInterval,
        Duration gracePeriod,
        Duration flushTimeout,
        List<String> metricFormats,
        List<Pattern> metricRegexes,
        Path workDir,
        Path metricsFile,
        long bufferBytes,
        long spillBytes,
        boolean shipLogs,
        List<String> command,
        DataOptions data,
        Optional<String> runToken) {

    /** Thrown for bad command lines; the message is for the user. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    /** The same options without reporting: a distributed trial's rank other than 0 keeps its output where it runs. */
    public AgentOptions withoutReporting() {
        return new AgentOptions(runId, attempt, Optional.empty(), heartbeatInterval, gracePeriod, flushTimeout,
                metricFormats, metricRegexes, workDir, metricsFile, bufferBytes, spillBytes, shipLogs, command, data,
                runToken);
    }

    /** Parses the arguments after {@code run}; environment variables fill in what the options leave out. */
    public static AgentOptions parse(List<String> args, Map<String, String> env) throws UsageException {
        OptionReader r = new OptionReader(args);
        TrialEnvironment trial = TrialEnvironment.read(env);
        String runId = trial.get(TrialVariable.RUN_ID).orElse(null);
        String attempt = trial.get(TrialVariable.ATTEMPT).orElse("0");
        String bootstrap = trial.get(TrialVariable.KAFKA_BOOTSTRAP).orElse(null);
        String heartbeat = "10s";
        String grace = "30s";
        String flush = "30s";
        String formats = String.join(",", MetricFormats.DEFAULT);
        List<Pattern> regexes = new ArrayList<>();
        String workDir = trial.get(TrialVariable.AGENT_WORK_DIR).orElse(null);
        String metricsFile = trial.get(TrialVariable.METRICS_FILE).orElse(null);
        String buffer = "32m";
        String spill = "1g";
        boolean shipLogs = true;
        String dataUrl = trial.get(TrialVariable.DATA_URL).orElse(null);
        String dataDir = trial.get(TrialVariable.DATA_DIR).orElse(null);
        String dataCache = trial.get(TrialVariable.DATA_CACHE).orElse(null);
        while (r.hasOption()) {
            String name = r.name();
            switch (name) {
                case "--run-id" -> runId = r.value();
                case "--attempt" -> attempt = r.value();
                case "--kafka-bootstrap" -> bootstrap = r.value();
                case "--heartbeat-interval" -> heartbeat = r.value();
                case "--grace-period" -> grace = r.value();
                case "--flush-timeout" -> flush = r.value();
                case "--metric-format" -> formats = r.value();
                case "--metric-regex" -> regexes.add(regex(r.value()));
                case "--work-dir" -> workDir = r.value();
                case "--metrics-file" -> metricsFile = r.value();
                case "--buffer-size" -> buffer = r.value();
                case "--spill-limit" -> spill = r.value();
                case "--no-logs" -> shipLogs = false;
                case "--data-manifest-url" -> dataUrl = r.value();
                case "--data-dir" -> dataDir = r.value();
                case "--data-cache" -> dataCache = r.value();
                default -> throw new UsageException("unknown option " + name);
            }
        }
        List<String> command = r.rest();
        if (command.isEmpty()) {
            throw new UsageException("missing the command to run after --");
        }
        if (runId == null) {
            throw new UsageException("missing --run-id (or REPRISE_RUN_ID)");
        }
        long id = number(runId, "--run-id");
        int att = (int) number(attempt, "--attempt");
        Path dir = Path.of(workDir != null ? workDir
                : System.getProperty("java.io.tmpdir") + "/reprise-agent/" + id + "-" + att);
        Optional<String> kafka = Optional.ofNullable(bootstrap).map(String::strip).filter(s -> !s.isEmpty());
        return new AgentOptions(id, att, kafka, Units.duration(heartbeat, "--heartbeat-interval"),
                Units.duration(grace, "--grace-period"), Units.duration(flush, "--flush-timeout"),
                formats(formats), List.copyOf(regexes), dir,
                metricsFile != null ? Path.of(metricsFile) : dir.resolve("metrics.jsonl"),
                Units.bytes(buffer, "--buffer-size"), Units.bytes(spill, "--spill-limit"), shipLogs, command,
                data(dataUrl, dataDir, dataCache, trial.get(TrialVariable.DATA_SNAPSHOT).orElse(null)),
                trial.get(TrialVariable.RUN_TOKEN));
    }

    private static DataOptions data(String url, String dir, String cache, String snapshotId) throws UsageException {
        Optional<URI> manifest = Optional.empty();
        if (url != null && !url.isBlank()) {
            URI parsed = uri(url.strip());
            if (parsed == null || !parsed.isAbsolute() || !parsed.getScheme().matches("https?")
                    || parsed.getHost() == null) {
                throw new UsageException("--data-manifest-url (REPRISE_DATA_URL) must be an http(s) URL: " + url);
            }
            manifest = Optional.of(parsed);
        }
        Optional<String> id = Optional.ofNullable(snapshotId).map(String::strip).filter(s -> !s.isEmpty());
        if (id.isPresent() && !dev.reprise.api.snapshots.SnapshotRef.isId(id.get())) {
            throw new UsageException(TrialVariable.DATA_SNAPSHOT.variable() + " must be a snapshot id sha256:<64 hex>: " + snapshotId);
        }
        return new DataOptions(manifest, id,
                dir == null || dir.isBlank() ? DataOptions.DEFAULT_DIR : Path.of(dir.strip()),
                Optional.ofNullable(cache).filter(c -> !c.isBlank()).map(c -> Path.of(c.strip())));
    }

    private static URI uri(String text) {
        try {
            return new URI(text);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static Pattern regex(String value) throws UsageException {
        Optional<String> problem = RegexParser.validate(value);
        if (problem.isPresent()) {
            throw new UsageException(problem.get());
        }
        return Pattern.compile(value);
    }

    private static List<String> formats(String value) throws UsageException {
        List<String> list = new ArrayList<>();
        for (String f : value.split(",")) {
            String name = f.strip();
            if (!MetricFormats.NAMES.contains(name)) {
                throw new UsageException("unknown --metric-format '" + name + "' (json, kv, colon, none)");
            }
            list.add(name);
        }
        return List.copyOf(list);
    }

    private static long number(String value, String option) throws UsageException {
        try {
            long n = Long.parseLong(value.strip());
            if (n < 0) {
                throw new UsageException(option + " must not be negative: " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " is not a number: " + value);
        }
    }

    /** Reads {@code --name value}, {@code --name=value} and flags up to {@code --} or the first non-option. */
    private static final class OptionReader {
        private final List<String> args;
        private int i;
        private String inlineValue;

        OptionReader(List<String> args) {
            this.args = args;
        }

        boolean hasOption() {
            return i < args.size() && args.get(i).startsWith("--") && !args.get(i).equals("--");
        }

        String name() {
            String arg = args.get(i++);
            int eq = arg.indexOf('=');
            inlineValue = eq > 0 ? arg.substring(eq + 1) : null;
            return eq > 0 ? arg.substring(0, eq) : arg;
        }

        String value() throws UsageException {
            if (inlineValue != null) {
                return inlineValue;
            }
            if (i >= args.size()) {
                throw new UsageException("missing value for " + args.get(i - 1));
            }
            return args.get(i++);
        }

        List<String> rest() {
            if (i < args.size() && args.get(i).equals("--")) {
                i++;
            }
            return List.copyOf(args.subList(i, args.size()));
        }
    }
}
