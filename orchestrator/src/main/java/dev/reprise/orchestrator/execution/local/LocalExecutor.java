package dev.reprise.orchestrator.execution.local;

import dev.reprise.api.trial.TrialEnvironment;
import dev.reprise.api.trial.TrialVariable;
import dev.reprise.orchestrator.domain.run.FailureCause;
import dev.reprise.orchestrator.execution.DistributedEnv;
import dev.reprise.orchestrator.execution.Executor;
import dev.reprise.orchestrator.execution.LaunchException;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import dev.reprise.orchestrator.execution.TrialObserver;
import dev.reprise.orchestrator.persistence.ProjectSecrets;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Runs each attempt as a local process: the same agent as in a pod, wrapping the rendered command, in a directory
 * of its own under {@code reprise.local.work-dir}. A small shell wrapper records the agent's exit code in that
 * directory, so an orchestrator restarted while trials ran can adopt the ones still running and account for the
 * ones that ended meanwhile. A trial that ended stays listed (as finished) and is reported again after a restart
 * until the run lifecycle says its end was applied ({@link #applied}, then the file {@code reported}): the exit status
 * outlives the orchestrator's memory and a database outage. The container image is not used: the command runs on
 * this machine.
 */
@ApplicationScoped
@LookupIfProperty(name = "reprise.executor", stringValue = "local")
public class LocalExecutor implements Executor {

    private static final Logger LOG = Logger.getLogger(LocalExecutor.class);
    /** The attempt's directories the trial writes (handed to the trial user when there is one). */
    private static final List<String> TRIAL_OWNED = List.of("output", "checkpoints", "home", "tmp", "agent");
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    /** Others may pass through (to reach the directories handed to the trial user) but not list or read. */
    private static final Set<PosixFilePermission> TRAVERSE = PosixFilePermissions.fromString("rwx--x--x");
    private static final String WRAPPER = "\"$@\"; code=$?; echo $code > \"$REPRISE_TRIAL_DIR/exit-code.tmp\" && "
            + "mv \"$REPRISE_TRIAL_DIR/exit-code.tmp\" \"$REPRISE_TRIAL_DIR/exit-code\"; exit $code";

    /** Written in a trial's directory once the run lifecycle applied its end. */
    static final String REPORTED = "reported";
    /** The instant the attempt's time limit ends ({@code resources.timeLimit}), in its directory when it has one. */
    static final String DEADLINE = "deadline";
    /**
     * Written by the agent in its work directory when a stop signal reached it ({@code AgentRun}); an attempt that
     * ends so without Reprise having stopped it is preempted.
     */
    static final String STOPPED_BY_SIGNAL = "stopped-by-signal";
    /** Written in a trial's directory when its time limit ended it. */
    static final String TIMED_OUT = "timed-out";

    private final LocalExecutorConfig config;
    private final Path workDir;
    private final Map<String, Attempt> live = new ConcurrentHashMap<>();
    /** Attempts that ended and whose end the run lifecycle has not yet applied. */
    private final Map<String, Attempt> ended = new ConcurrentHashMap<>();
    private final ScheduledExecutorService killer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
                Thread t = new Thread(r, "reprise-local-killer");
                t.setDaemon(true);
                return t;
            });
    private volatile TrialObserver observer = o -> { };
    private final String hostname;
    private final Optional<TrialUser> user;

    private final ProjectSecrets secrets;

    public LocalExecutor(LocalExecutorConfig config, ProjectSecrets secrets) {
        this.config = config;
        this.secrets = secrets;
        this.workDir = Path.of(config.workDir()).toAbsolutePath().normalize();
        this.hostname = hostname();
        this.user = config.runAsUser().map(String::strip).filter(u -> !u.isEmpty()).map(TrialUser::resolve);
    }

    /**
     * The local executor ignores the image: the command runs on this machine, wrapped by an agent on this JVM's
     * runtime. Recorded as the run's runtime; the image digest stays null.
     */
    @Override
    public String runtime() {
        return "local process on " + hostname.substring(hostname.indexOf(':') + 1) + " (image not used); agent on "
                + "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")";
    }

    @Override
    public boolean usesLocalSecretStore() {
        return true;
    }

    @Override
    public void start(TrialObserver observer) {
        this.observer = observer;
        try {
            createPrivateDirectory(workDir, user.isPresent());
            try (Stream<Path> dirs = Files.list(workDir)) {
                dirs.filter(Files::isDirectory).forEach(this::recover);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot use the local work directory " + workDir, e);
        }
    }

    /**
     * After a restart: adopt an attempt still running (every rank of it), report one that ended while nobody watched.
     * An attempt already reported has nothing left to do; a rank of it still running is stopped.
     */
    private void recover(Path dir) {
        LocalTrial.read(dir).ifPresent(first -> {
            List<LocalTrial> ranks = new ArrayList<>();
            for (int rank = 0; rank < first.nodes(); rank++) {
                LocalTrial.read(LocalTrial.rankDir(dir, rank)).ifPresent(ranks::add);
            }
            if (live.containsKey(first.key()) || ended.containsKey(first.key())) {
                return;
            }
            Attempt attempt = new Attempt(first.runId(), first.attempt(), first.sweepId(), dir, first.nodes());
            ranks.forEach(t -> attempt.ranks[t.rank()] = t);
            if (Files.exists(dir.resolve(REPORTED))) {
                ranks.forEach(this::terminate);
                return;
            }
            attempt.timedOut = Files.exists(dir.resolve(TIMED_OUT));
            boolean running = ranks.stream().anyMatch(t -> t.exitCode().isEmpty() && t.process().isPresent());
            if (running) {
                LOG.infof("adopting local trial %s (pid %s, %d rank(s))", first.key(), first.pid(), ranks.size());
                live.put(first.key(), attempt);
                readDeadline(dir).ifPresent(d -> enforceDeadline(attempt, d));
            }
            for (int rank = 0; rank < attempt.nodes; rank++) {
                LocalTrial t = attempt.ranks[rank];
                if (t == null) {
                    ended(attempt, rank); // never started: it counts as a rank that failed
                } else if (t.exitCode().isPresent() || t.process().isEmpty()) {
                    ended(attempt, rank);
                } else {
                    int r = rank;
                    t.process().ifPresent(h -> h.onExit().thenRun(() -> ended(attempt, r)));
                }
            }
        });
    }

    @Override
    public void launch(TrialLaunch launch) throws LaunchException {
        String key = launch.runId() + "/" + launch.attempt();
        if (live.containsKey(key) || ended.containsKey(key)) {
            return;
        }
        Path dir = workDir.resolve(launch.runId() + "-" + launch.attempt());
        if (LocalTrial.read(dir).isPresent()) {
            // launched before (by an earlier instance): adopt it if it runs, otherwise it already ended
            recover(dir);
            return;
        }
        Map<String, String> secretValues = secretValues(launch);
        int nodes = launch.nodes();
        Attempt attempt = new Attempt(launch.runId(), launch.attempt(), launch.sweepId(), dir, nodes);
        try {
            // a distributed trial: N local processes, each under its own agent, rank 0 the master on a free port
            int masterPort = nodes > 1 ? freePort() : 0;
            List<Process> processes = new ArrayList<>();
            try {
                for (int rank = 0; rank < nodes; rank++) {
                    Process process = startRank(launch, dir, rank, masterPort, secretValues);
                    processes.add(process);
                    LocalTrial trial = new LocalTrial(launch.runId(), launch.attempt(), launch.sweepId(),
                            process.pid(), process.info().startInstant().orElse(null),
                            LocalTrial.rankDir(dir, rank), rank, nodes);
                    attempt.ranks[rank] = trial;
                }
                if (launch.timeLimitSeconds() != null) {
                    // before rank 0's record: an adopted attempt always finds its deadline
                    Files.writeString(dir.resolve(DEADLINE),
                            Instant.now().plusSeconds(launch.timeLimitSeconds()).toString());
                }
                // rank 0's record last: an attempt is found (and adopted) by it only once every rank has started
                for (int rank = nodes - 1; rank >= 0; rank--) {
                    attempt.ranks[rank].write();
                }
            } catch (IOException e) {
                processes.forEach(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
                throw e;
            }
            live.put(key, attempt);
            Instant now = Instant.now();
            observer.observe(new TrialObservation.Launched(launch.runId(), launch.attempt(), now));
            observer.observe(new TrialObservation.Running(launch.runId(), launch.attempt(), now, hostname, null));
            for (int rank = 0; rank < nodes; rank++) {
                int r = rank;
                processes.get(rank).onExit().thenRun(() -> ended(attempt, r));
            }
            readDeadline(dir).ifPresent(d -> enforceDeadline(attempt, d));
        } catch (IOException e) {
            throw new LaunchException("cannot start the trial process: " + e.getMessage(), false, e);
        }
    }

    /**
     * The values of the launch's secret references, from the project's secret store. A secret removed since the sweep
     * was submitted fails the attempt (trying again cannot help until someone sets it); a database that cannot be read
     * now is retried.
     */
    private Map<String, String> secretValues(TrialLaunch launch) throws LaunchException {
        if (launch.secretEnv().isEmpty()) {
            return Map.of();
        }
        Map<String, String> values;
        try {
            values = secrets.resolve(launch.project(), launch.secretEnv());
        } catch (java.sql.SQLException | RuntimeException e) {
            throw new LaunchException("cannot read the project's secrets: " + e.getMessage(), true, e);
        }
        for (Map.Entry<String, dev.reprise.orchestrator.domain.spec.SecretRef> e : launch.secretEnv().entrySet()) {
            if (!values.containsKey(e.getKey())) {
                throw new LaunchException("env." + e.getKey() + ": project '" + launch.project() + "' has no secret '"
                        + e.getValue().secret() + "' with key '" + e.getValue().key() + "'; set it with: reprise secret "
                        + "set " + e.getValue().secret() + " " + e.getValue().key() + " -p " + launch.project(), false,
                        null);
            }
        }
        return values;
    }

    /** Starts one rank (the only one of an ordinary trial) in its own directory, under its own agent. */
    private Process startRank(TrialLaunch launch, Path attemptDir, int rank, int masterPort,
            Map<String, String> secretValues) throws IOException, LaunchException {
        Path dir = LocalTrial.rankDir(attemptDir, rank);
        createPrivateDirectory(dir, user.isPresent());
        for (String own : TRIAL_OWNED) {
            createPrivateDirectory(dir.resolve(own), false);
            if (user.isPresent()) {
                user.get().own(dir.resolve(own));
            }
        }
        ProcessBuilder pb = new ProcessBuilder(command(launch, dir));
        pb.directory(trialDirectory().toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("output.log").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        TrialEnvironment local = TrialEnvironment.empty()
                .with(TrialVariable.TRIAL_DIR, dir.toString())
                .with(TrialVariable.OUTPUT_DIR, dir.resolve("output").toString())
                // empty at first: the agent restores the run's newest checkpoint into it (docs/checkpoints.md)
                .with(TrialVariable.CHECKPOINT_DIR, dir.resolve("checkpoints").toString())
                .with(TrialVariable.HOME, trialDirectory().toString())
                // the agent's spill file and metrics file: this attempt's own, never shared with other agents
                .with(TrialVariable.AGENT_WORK_DIR, dir.resolve("agent").toString());
        if (launch.env().containsKey(TrialVariable.DATA_URL.variable())) {
            // a snapshot is materialised per attempt (and rank), beside its outputs, not at the pod path /data
            local = local.with(TrialVariable.DATA_DIR, dir.resolve("data").toString());
        }
        Map<String, String> home = new java.util.LinkedHashMap<>();
        home.put("HOME", dir.resolve("home").toString());
        home.put("TMPDIR", dir.resolve("tmp").toString());
        user.ifPresent(u -> {
            home.put("USER", u.name());
            home.put("LOGNAME", u.name());
        });
        Map<String, String> trialEnv = new java.util.LinkedHashMap<>(launch.env());
        trialEnv.putAll(secretValues);
        if (launch.nodes() > 1) {
            trialEnv.putAll(DistributedEnv.forRank(launch.nodes(), rank, "127.0.0.1", masterPort));
            // every rank here knows its rank and the master's address already, and all start together
            trialEnv.remove(TrialVariable.RENDEZVOUS_URL.variable());
            if (rank > 0) {
                // rank 0 reports for the run and uploads its outputs; the other ranks report their own start,
                // heartbeats, logs and exit under their rank and keep their outputs in their directory
                trialEnv.remove(TrialVariable.ARTIFACTS_URL.variable());
            }
        }
        pb.environment().clear();
        pb.environment().putAll(TrialProcessEnvironment.build(System.getenv(), config.passEnv(), home, trialEnv,
                local));
        return pb.start();
    }

    private List<String> command(TrialLaunch launch, Path dir) throws LaunchException {
        // the wrapper stays the orchestrator's (the exit code lands in a directory the trial cannot write); only the
        // agent and the training command run as the trial user
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", WRAPPER, "reprise-trial"));
        user.ifPresent(u -> cmd.addAll(u.command()));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xmx256m");
        cmd.add("-jar");
        cmd.add(agentJar().toString());
        cmd.addAll(List.of("run", "--run-id", String.valueOf(launch.runId()), "--attempt",
                String.valueOf(launch.attempt()), "--grace-period", config.gracePeriod().toMillis() + "ms",
                "--heartbeat-interval", config.heartbeatInterval().toMillis() + "ms"));
        String kafka = launch.env().get(TrialVariable.KAFKA_BOOTSTRAP.variable());
        if (kafka != null && !kafka.isBlank()) {
            cmd.addAll(List.of("--kafka-bootstrap", kafka));
        }
        cmd.add("--");
        cmd.addAll(launch.argv());
        return cmd;
    }

    /**
     * One rank ended. The first rank to fail decides the attempt's fate and every other rank is stopped; the attempt
     * is reported once all its ranks have ended.
     */
    private void ended(Attempt attempt, int rank) {
        boolean stopOthers = false;
        boolean allEnded;
        synchronized (attempt) {
            if (attempt.ended[rank]) {
                return;
            }
            attempt.ended[rank] = true;
            LocalTrial trial = attempt.ranks[rank];
            Integer code = trial == null ? null : trial.exitCode().orElse(null);
            if (!attempt.stopping && attempt.failedRank < 0 && (code == null || code != 0)) {
                attempt.failedRank = rank;
                attempt.failedCode = code;
                stopOthers = attempt.nodes > 1;
            }
            allEnded = attempt.allEnded();
        }
        if (stopOthers) {
            LOG.infof("rank %d of local trial %s failed: stopping the other ranks", rank, attempt.key());
            attempt.liveRanks().forEach(this::terminate);
        }
        if (!allEnded) {
            return;
        }
        if (attempt.stopping) {
            live.remove(attempt.key());
            markReported(attempt.dir);
            return;
        }
        // listed as ended before it leaves the live attempts: reconciliation never sees it in neither
        ended.put(attempt.key(), attempt);
        live.remove(attempt.key());
        reportExit(attempt);
    }

    /** The lifecycle applied the end of an attempt: it need not be reported again, after a restart either. */
    @Override
    public void applied(TrialObservation observation) {
        if (observation instanceof TrialObservation.Launched || observation instanceof TrialObservation.Running) {
            return;
        }
        Attempt attempt = ended.remove(observation.runId() + "/" + observation.attempt());
        if (attempt != null) {
            markReported(attempt.dir);
        }
    }

    private void reportExit(Attempt attempt) {
        Instant now = Instant.now();
        TrialObservation o;
        int rank = attempt.failedRank;
        Integer code = attempt.failedCode;
        Path log = LocalTrial.rankDir(attempt.dir, Math.max(rank, 0)).resolve("output.log");
        String who = attempt.nodes > 1 ? "rank " + rank + " of " + attempt.nodes + " on node "
                + hostname.substring(hostname.indexOf(':') + 1) + " " : "";
        String others = attempt.nodes > 1 ? " first; the other ranks were stopped" : "";
        if (attempt.timedOut) {
            o = new TrialObservation.Failed(attempt.runId, attempt.attempt, now, FailureCause.TIME_LIMIT, code,
                    "the trial ran longer than its time limit (resources.timeLimit) and was stopped"
                            + (code == null ? "" : " (exit code " + code + ")") + "; see " + log);
        } else if (Files.exists(LocalTrial.rankDir(attempt.dir, Math.max(rank, 0)).resolve("agent")
                .resolve(STOPPED_BY_SIGNAL))) {
            // the agent of the rank that decided the attempt's fate (the first to fail; rank 0 when none failed) was
            // sent SIGTERM/SIGINT by someone else than Reprise (a shutdown of the machine, an operator's kill): like a
            // pod deleted or evicted, the attempt is preempted and the run queued again, resuming from its newest
            // checkpoint. The ranks Reprise stopped after another rank failed carry the marker too: they decide
            // nothing
            o = new TrialObservation.Preempted(attempt.runId, attempt.attempt, now, "the trial's agent was stopped "
                    + "by a signal from outside Reprise" + (code == null ? "" : " (exit code " + code + ")"));
        } else if (rank < 0) {
            o = new TrialObservation.Succeeded(attempt.runId, attempt.attempt, now, 0);
        } else if (code == null) {
            o = new TrialObservation.Failed(attempt.runId, attempt.attempt, now, FailureCause.INFRASTRUCTURE, null,
                    attempt.nodes > 1 ? who + "ended without recording an exit code" + others
                            : "the trial process ended without recording an exit code");
        } else {
            o = new TrialObservation.Failed(attempt.runId, attempt.attempt, now,
                    dev.reprise.orchestrator.domain.run.AgentExitCodes.cause(code), code,
                    (who.isEmpty() ? "exited" : who + "exited") + " with code " + code + others + "; see " + log);
        }
        observer.observe(o);
    }

    /** The ranks of one attempt (one for an ordinary trial), which share one fate. */
    private static final class Attempt {
        final long runId;
        final int attempt;
        final long sweepId;
        final Path dir;
        final int nodes;
        final LocalTrial[] ranks;
        final boolean[] ended;
        volatile boolean stopping;
        volatile boolean timedOut;
        int failedRank = -1;
        Integer failedCode;

        Attempt(long runId, int attempt, long sweepId, Path dir, int nodes) {
            this.runId = runId;
            this.attempt = attempt;
            this.sweepId = sweepId;
            this.dir = dir;
            this.nodes = nodes;
            this.ranks = new LocalTrial[nodes];
            this.ended = new boolean[nodes];
        }

        String key() {
            return runId + "/" + attempt;
        }

        synchronized boolean allEndedNow() {
            return allEnded();
        }

        boolean allEnded() {
            for (boolean e : ended) {
                if (!e) {
                    return false;
                }
            }
            return true;
        }

        synchronized List<LocalTrial> liveRanks() {
            List<LocalTrial> out = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                if (!ended[i] && ranks[i] != null) {
                    out.add(ranks[i]);
                }
            }
            return out;
        }
    }

    private static void markReported(Path dir) {
        try {
            Files.writeString(dir.resolve(REPORTED), "");
        } catch (IOException e) {
            LOG.debugf("cannot mark %s reported: %s", dir, e.getMessage());
        }
    }

    /**
     * Stops the attempt's process trees at {@code deadline} (its time limit), as {@link #stop} does, but reported:
     * the attempt then fails with cause TIME_LIMIT.
     */
    private void enforceDeadline(Attempt attempt, Instant deadline) {
        long delay = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        killer.schedule(() -> {
            if (attempt.stopping || attempt.allEndedNow() || live.get(attempt.key()) != attempt) {
                return;
            }
            attempt.timedOut = true;
            try {
                Files.writeString(attempt.dir.resolve(TIMED_OUT), deadline.toString());
            } catch (IOException e) {
                LOG.debugf("cannot mark %s timed out: %s", attempt.dir, e.getMessage());
            }
            LOG.infof("local trial %s reached its time limit: stopping it", attempt.key());
            // the whole tree as it is now: a child the training command started in the background would outlive
            // its parent's SIGTERM, reparented out of the tree; it is killed with the rest after kill-after
            List<ProcessHandle> tree = attempt.liveRanks().stream().flatMap(t -> t.process().stream())
                    .flatMap(h -> Stream.concat(Stream.of(h), h.descendants())).toList();
            attempt.liveRanks().forEach(this::terminate);
            killer.schedule(() -> tree.forEach(ProcessHandle::destroyForcibly), config.killAfter().toMillis(),
                    TimeUnit.MILLISECONDS);
        }, delay, TimeUnit.MILLISECONDS);
    }

    private static Optional<Instant> readDeadline(Path dir) {
        try {
            return Optional.of(Instant.parse(Files.readString(dir.resolve(DEADLINE)).strip()));
        } catch (IOException | java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public void stop(long runId, int attempt) {
        Attempt a = live.get(runId + "/" + attempt);
        if (a == null) {
            return;
        }
        a.stopping = true;
        a.liveRanks().forEach(this::terminate);
    }

    /** SIGTERM to the rank's agent (the wrapper's child): it forwards to the training process and waits; then kill. */
    private void terminate(LocalTrial trial) {
        trial.process().ifPresent(h -> {
            h.children().forEach(ProcessHandle::destroy);
            killer.schedule(() -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            }, config.killAfter().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void stopSweep(long sweepId) {
        live.values().stream().filter(t -> t.sweepId == sweepId).toList()
                .forEach(t -> stop(t.runId, t.attempt));
    }

    @Override
    public List<TrialRef> list() {
        List<TrialRef> refs = new ArrayList<>();
        live.values().forEach(t -> refs.add(new TrialRef(t.runId, t.attempt, t.sweepId)));
        ended.values().forEach(t -> refs.add(new TrialRef(t.runId, t.attempt, t.sweepId, true)));
        return refs;
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        killer.shutdownNow();
    }

    private Path agentJar() throws LaunchException {
        if (config.agentJar().isPresent()) {
            Path jar = Path.of(config.agentJar().get()).toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                throw new LaunchException("the agent jar " + jar + " does not exist", false, null);
            }
            return jar;
        }
        for (Path candidate : List.of(Path.of("agent", "target", "reprise-agent.jar"),
                Path.of("..", "agent", "target", "reprise-agent.jar"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new LaunchException("no agent jar: build it (./mvnw -pl agent package) or set reprise.local.agent-jar",
                false, null);
    }

    /** Creates a directory (and its parents) and makes it private to its owner, or traversable only. */
    private static void createPrivateDirectory(Path dir, boolean traversable) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, traversable ? TRAVERSE : PRIVATE);
    }

    private Path trialDirectory() {
        return config.trialDir().map(Path::of).orElse(Path.of("")).toAbsolutePath().normalize();
    }

    private static String hostname() {
        try {
            return "local:" + InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "local";
        }
    }
}
