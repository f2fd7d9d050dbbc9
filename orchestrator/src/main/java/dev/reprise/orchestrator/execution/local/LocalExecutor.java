package dev.reprise.orchestrator.execution.local;

import dev.reprise.api.trial.TrialEnvironment;
import dev.reprise.api.trial.TrialVariable;
import dev.reprise.orchestrator.domain.run.FailureCause;
import dev.reprise.orchestrator.execution.Executor;
import dev.reprise.orchestrator.execution.LaunchException;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import dev.reprise.orchestrator.execution.TrialObserver;
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
    /** Written in a trial's directory once the run lifecycle applied its end. */
    static final String REPORTED = "reported";
    /** The attempt's directories the trial writes (handed to the trial user when there is one). */
    private static final List<String> TRIAL_OWNED = List.of("output", "home", "tmp", "agent");
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    /** Others may pass through (to reach the directories handed to the trial user) but not list or read. */
    private static final Set<PosixFilePermission> TRAVERSE = PosixFilePermissions.fromString("rwx--x--x");
    private static final String WRAPPER = "\"$@\"; code=$?; echo $code > \"$REPRISE_TRIAL_DIR/exit-code.tmp\" && "
            + "mv \"$REPRISE_TRIAL_DIR/exit-code.tmp\" \"$REPRISE_TRIAL_DIR/exit-code\"; exit $code";

    private final LocalExecutorConfig config;
    private final Path workDir;
    private final Map<String, LocalTrial> live = new ConcurrentHashMap<>();
    /** Trials that ended and whose end the run lifecycle has not yet applied. */
    private final Map<String, LocalTrial> ended = new ConcurrentHashMap<>();
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService killer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
                Thread t = new Thread(r, "reprise-local-killer");
                t.setDaemon(true);
                return t;
            });
    private volatile TrialObserver observer = o -> { };
    private final String hostname;
    private final Optional<TrialUser> user;

    public LocalExecutor(LocalExecutorConfig config) {
        this.config = config;
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

    /** After a restart: adopt a trial still running, report one that ended while nobody watched. */
    private void recover(Path dir) {
        LocalTrial.read(dir).ifPresent(trial -> {
            if (live.containsKey(trial.key()) || ended.containsKey(trial.key())) {
                return;
            }
            if (trial.exitCode().isPresent() || trial.process().isEmpty()) {
                if (Files.exists(dir.resolve(REPORTED))) {
                    return;
                }
                ended.put(trial.key(), trial);
                reportExit(trial, trial.exitCode().orElse(null));
                return;
            }
            LOG.infof("adopting local trial %s (pid %s)", trial.key(), trial.pid());
            live.put(trial.key(), trial);
            trial.process().ifPresent(h -> h.onExit().thenRun(() -> ended(trial)));
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
        try {
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
                    .with(TrialVariable.HOME, trialDirectory().toString())
                    // the agent's spill file and metrics file: this attempt's own, never shared with other agents
                    .with(TrialVariable.AGENT_WORK_DIR, dir.resolve("agent").toString());
            if (launch.env().containsKey(TrialVariable.DATA_URL.variable())) {
                // a snapshot is materialised per attempt, beside its outputs, not at the pod path /data
                local = local.with(TrialVariable.DATA_DIR, dir.resolve("data").toString());
            }
            Map<String, String> home = new java.util.LinkedHashMap<>();
            home.put("HOME", dir.resolve("home").toString());
            home.put("TMPDIR", dir.resolve("tmp").toString());
            user.ifPresent(u -> {
                home.put("USER", u.name());
                home.put("LOGNAME", u.name());
            });
            pb.environment().clear();
            pb.environment().putAll(TrialProcessEnvironment.build(System.getenv(), config.passEnv(), home,
                    launch.env(), local));
            Process process = pb.start();
            LocalTrial trial = new LocalTrial(launch.runId(), launch.attempt(), launch.sweepId(), process.pid(),
                    process.info().startInstant().orElse(null), dir);
            trial.write();
            live.put(key, trial);
            Instant now = Instant.now();
            observer.observe(new TrialObservation.Launched(launch.runId(), launch.attempt(), now));
            observer.observe(new TrialObservation.Running(launch.runId(), launch.attempt(), now, hostname, null));
            process.onExit().thenRun(() -> ended(trial));
        } catch (IOException e) {
            throw new LaunchException("cannot start the trial process: " + e.getMessage(), false, e);
        }
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

    private void ended(LocalTrial trial) {
        if (stopping.remove(trial.key())) {
            live.remove(trial.key());
            markReported(trial);
            return;
        }
        // listed as ended before it leaves the live trials: reconciliation never sees it in neither
        ended.put(trial.key(), trial);
        live.remove(trial.key());
        reportExit(trial, trial.exitCode().orElse(null));
    }

    /** The lifecycle applied the end of a trial: it need not be reported again, after a restart either. */
    @Override
    public void applied(TrialObservation observation) {
        if (observation instanceof TrialObservation.Launched || observation instanceof TrialObservation.Running) {
            return;
        }
        LocalTrial trial = ended.remove(observation.runId() + "/" + observation.attempt());
        if (trial != null) {
            markReported(trial);
        }
    }

    private void reportExit(LocalTrial trial, Integer code) {
        Instant now = Instant.now();
        TrialObservation o;
        if (code == null) {
            o = new TrialObservation.Failed(trial.runId(), trial.attempt(), now, FailureCause.INFRASTRUCTURE, null,
                    "the trial process ended without recording an exit code");
        } else if (code == 0) {
            o = new TrialObservation.Succeeded(trial.runId(), trial.attempt(), now, 0);
        } else {
            o = new TrialObservation.Failed(trial.runId(), trial.attempt(), now,
                    dev.reprise.orchestrator.domain.run.AgentExitCodes.cause(code), code,
                    "exited with code " + code + "; see " + trial.dir().resolve("output.log"));
        }
        observer.observe(o);
    }

    private static void markReported(LocalTrial trial) {
        try {
            Files.writeString(trial.dir().resolve(REPORTED), "");
        } catch (IOException e) {
            LOG.debugf("cannot mark %s reported: %s", trial.key(), e.getMessage());
        }
    }

    @Override
    public void stop(long runId, int attempt) {
        LocalTrial trial = live.get(runId + "/" + attempt);
        if (trial == null) {
            return;
        }
        stopping.add(trial.key());
        trial.process().ifPresent(h -> {
            // SIGTERM to the agent (the wrapper's child): it forwards to the training process and waits
            h.children().forEach(ProcessHandle::destroy);
            killer.schedule(() -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            }, config.killAfter().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void stopSweep(long sweepId) {
        live.values().stream().filter(t -> t.sweepId() == sweepId).toList()
                .forEach(t -> stop(t.runId(), t.attempt()));
    }

    @Override
    public List<TrialRef> list() {
        List<TrialRef> refs = new ArrayList<>();
        live.values().forEach(t -> refs.add(new TrialRef(t.runId(), t.attempt(), t.sweepId())));
        ended.values().forEach(t -> refs.add(new TrialRef(t.runId(), t.attempt(), t.sweepId(), true)));
        return refs;
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
