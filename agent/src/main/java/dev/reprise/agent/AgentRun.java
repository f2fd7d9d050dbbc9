package dev.reprise.agent;

import dev.reprise.api.trial.TrialEnvironment;
import dev.reprise.api.trial.TrialVariable;
import dev.reprise.agent.checkpoints.CheckpointKeeper;
import dev.reprise.agent.data.DataStage;
import dev.reprise.agent.metrics.LineParser;
import dev.reprise.agent.metrics.MetricFormats;
import dev.reprise.agent.metrics.MetricsFileTailer;
import dev.reprise.agent.metrics.MetricsRecorder;
import dev.reprise.agent.params.ParamsRecorder;
import dev.reprise.agent.process.ChildProcess;
import dev.reprise.agent.process.LaunchFailure;
import dev.reprise.agent.process.LineProcessor;
import dev.reprise.agent.process.OutputPump;
import dev.reprise.agent.report.LogBatcher;
import dev.reprise.agent.report.MetricBatcher;
import dev.reprise.agent.report.Reporter;
import dev.reprise.agent.report.RunContext;
import dev.reprise.agent.telemetry.Heartbeats;
import dev.reprise.agent.telemetry.NvidiaSmi;
import dev.reprise.agent.telemetry.ProcessTreeSampler;
import dev.reprise.api.messages.LogStream;
import dev.reprise.api.messages.StopReason;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code reprise-agent run}: starts the training process, passes its output through, captures metrics,
 * sends heartbeats, forwards stop signals, reports the outcome and returns the process's exit code.
 */
public final class AgentRun {

    /** Warning reasons the run shows with their counts (GET /api/v1/runs/{id}: warnings). */
    static final String LINES_NOT_SHIPPED = "output lines passed through but neither parsed for metrics nor "
            + "shipped as logs: the agent fell behind";
    static final String REPORTS_DROPPED = "reports (log chunks, metric batches) dropped: the agent's buffer and "
            + "spill file were full";

    static final String CHECKPOINT_REFUSED = "checkpoints refused by the orchestrator (e.g. over the run's cap, "
            + "reprise.checkpoints.max-run-size): not stored, not restorable";
    /**
     * Written into the agent's work directory when a stop signal reaches it: the local executor reads an attempt that
     * ended so, without Reprise having stopped it, as preempted (LocalExecutor.STOPPED_BY_SIGNAL).
     */
    static final String STOPPED_BY_SIGNAL = "stopped-by-signal";
    private static final long CHECKPOINT_POLL_MILLIS = 2_000;

    private static final int MAX_POINTS_PER_BATCH = 500;
    private static final long METRIC_LINGER_MILLIS = 200;
    private static final long TICK_MILLIS = 100;

    private final AgentOptions options;
    private static final java.util.Set<String> CREDENTIALS = java.util.Arrays.stream(TrialVariable.values())
            .filter(TrialVariable::secret).map(TrialVariable::variable)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final Map<String, String> env;
    private final OutputStream out;
    private final OutputStream err;
    private final AgentLog log;
    private final Reporter reporter;
    private final RunContext run;
    private volatile ChildProcess child;
    private volatile String pendingStop;
    private volatile String dataSnapshotId;
    /** The step of the checkpoint restored before the command started, or -1. */
    private volatile long resumeStep = -1;
    private Thread dataStage;
    private final Object stopLock = new Object();
    /** Variables the command gets on top of the agent's (a distributed rank's, from the rendezvous). */
    private volatile Map<String, String> commandEnv = Map.of();

    public AgentRun(AgentOptions options, Map<String, String> env, OutputStream out, OutputStream err, AgentLog log,
                    Reporter reporter, String agentId) {
        this.options = options;
        this.env = env;
        this.out = out;
        this.err = err;
        this.log = log;
        this.reporter = reporter;
        this.run = new RunContext(options.runId(), options.attempt(), agentId);
    }

    /**
     * A distributed trial's rank other than 0 reports its start, heartbeats, logs and exit (under its rank, see
     * {@link dev.reprise.api.messages.RunHeaders#RANK}) but no metrics or params: the run's metrics are rank 0's, and
     * the other ranks' metric lines stay in their own stored logs, never mixed into the run's.
     */
    private volatile boolean reportsMetrics = true;

    /** This agent is rank {@code rank} of a distributed trial (empty: an ordinary trial). */
    public AgentRun withRank(java.util.OptionalInt rank) {
        this.reportsMetrics = rank.isEmpty() || rank.getAsInt() == 0;
        return this;
    }

    /** Gives the command these variables too (a distributed trial's rank and rank 0's address). */
    public AgentRun withCommandEnv(Map<String, String> variables) {
        this.commandEnv = Map.copyOf(variables);
        return this;
    }

    /** Forwards a stop signal ("TERM" or "INT") to the training process, now or as soon as it has started. */
    public void requestStop(String signal) {
        markStoppedBySignal(signal);
        ChildProcess c = child;
        if (c != null) {
            c.requestStop(signal);
        } else {
            synchronized (stopLock) {
                pendingStop = signal;
                if (dataStage != null) {
                    dataStage.interrupt();
                }
            }
        }
    }

    private void markStoppedBySignal(String signal) {
        try {
            Files.createDirectories(options.workDir());
            Files.writeString(options.workDir().resolve(STOPPED_BY_SIGNAL), "SIG" + signal + "\n");
        } catch (IOException | RuntimeException e) {
            log.warn("cannot record the stop signal in " + options.workDir() + ": " + e.getMessage());
        }
    }

    /** The checkpoint keeper when the launch names a checkpoint directory and endpoint (docs/checkpoints.md). */
    private CheckpointKeeper checkpointKeeper() {
        TrialEnvironment trial = TrialEnvironment.read(env);
        String url = trial.get(TrialVariable.CHECKPOINTS_URL).map(String::strip).orElse("");
        String dir = trial.get(TrialVariable.CHECKPOINT_DIR).map(String::strip).orElse("");
        if (url.isEmpty() || dir.isEmpty()) {
            return null;
        }
        try {
            Files.createDirectories(Path.of(dir));
        } catch (IOException e) {
            log.warn("checkpoint: cannot create " + dir + ": " + e.getMessage());
        }
        return new CheckpointKeeper(Path.of(dir), java.net.URI.create(url), options.runToken(), log::warn,
                message -> {
                    log.warn(message);
                    reporter.event(run.metricWarning(1, CHECKPOINT_REFUSED, message, System.currentTimeMillis()));
                });
    }

    /** Runs the command to its end; returns the exit code for the agent. */
    public int execute() throws InterruptedException {
        MetricBatcher metrics = new MetricBatcher(run, reporter, log, MAX_POINTS_PER_BATCH, METRIC_LINGER_MILLIS);
        LogBatcher logs = new LogBatcher(run, reporter, 1000, 128 * 1024, 1000);
        MetricsRecorder recorder = new MetricsRecorder(metrics);
        prepareWorkDir();
        if (options.data().enabled()) {
            Integer stopped = materialiseData(recorder);
            if (stopped != null) {
                return stopped;
            }
        }
        CheckpointKeeper checkpoints = checkpointKeeper();
        if (checkpoints != null && pendingStop == null) {
            checkpoints.restore().ifPresent(step -> resumeStep = step);
        }
        ParamsRecorder params = new ParamsRecorder(run, reporter, log);
        MetricsFileTailer tailer = new MetricsFileTailer(options.metricsFile(), recorder, System::currentTimeMillis,
                params::recordLine);
        ChildProcess c;
        try {
            // the agent's credentials (run token, Kafka password) are its own, not the training command's: printed or
            // logged by the command they would end up in its stored log
            c = ChildProcess.start(options.command(), childEnvironment(), CREDENTIALS, options.gracePeriod());
        } catch (LaunchFailure f) {
            log.warn(f.getMessage());
            reporter.event(run.finished(f.exitCode(), StopReason.AGENT_ERROR, null, System.currentTimeMillis()));
            return finish(f.exitCode(), StopReason.AGENT_ERROR, recorder);
        }
        child = c;
        if (pendingStop != null) {
            c.requestStop(pendingStop);
        }
        reporter.event(run.started(c.pid(), Hosts.name(env), options.command(), AgentMain.version(),
                System.currentTimeMillis()));

        LineParser parser = reportsMetrics
                ? MetricFormats.outputParser(options.metricFormats(), options.metricRegexes())
                : MetricFormats.outputParser(List.of("none"), List.of());
        // parameter lines are JSON lines: looked for in the output only where JSON lines are parsed at all
        boolean outputParams = reportsMetrics && options.metricFormats().contains("json");
        LineProcessor lines = new LineProcessor(100_000, (stream, text, at) -> {
            if (options.shipLogs()) {
                logs.line(stream, text, at);
            }
            recorder.recordLine(parser, text, at);
            if (outputParams) {
                params.recordLine(text, at);
            }
        }).start();
        Thread stdout = new OutputPump(c.stdout(), out, t -> lines.offer(LogStream.STDOUT, t)).start("reprise-stdout");
        Thread stderr = new OutputPump(c.stderr(), err, t -> lines.offer(LogStream.STDERR, t)).start("reprise-stderr");
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "reprise-tick"));
        ticker.scheduleWithFixedDelay(() -> tick(tailer, metrics, logs), TICK_MILLIS, TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        ScheduledExecutorService checkpointPoller = null;
        if (checkpoints != null && reportsMetrics) {
            // rank 0 stores the run's checkpoints (every rank restores them)
            checkpointPoller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "reprise-checkpoints"));
            CheckpointKeeper keeper = checkpoints;
            checkpointPoller.scheduleWithFixedDelay(() -> {
                try {
                    keeper.uploadNewest();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    log.warn("checkpoint: " + e.getMessage());
                }
            }, CHECKPOINT_POLL_MILLIS, CHECKPOINT_POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
        Heartbeats heartbeats = new Heartbeats(run, reporter,
                new ProcessTreeSampler(c.handle(), Path.of("/proc")), NvidiaSmi.find(env.get("PATH")), log)
                .start(options.heartbeatInterval());

        int exitCode = c.waitFor();
        // Descendants may keep the pipes open after the process exited: wait for the output a little, not forever.
        stdout.join(2_000);
        stderr.join(2_000);
        // beats go on while the output drains and the artifacts upload, until the attempt is reported finished
        heartbeats.processEnded();
        ticker.shutdown();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        lines.drainAndStop(10_000);
        if (reportsMetrics) {
            tailer.drainFinal();
        }
        logs.flush();
        if (lines.dropped() > 0) {
            log.warn(lines.dropped() + " output line(s) were passed through but not parsed: the agent fell behind");
            // the run says so too (a warning with the count on the run), so stored logs and metrics are never
            // silently short
            reporter.event(run.metricWarning(lines.dropped(), LINES_NOT_SHIPPED, null, System.currentTimeMillis()));
        }
        StopReason reason = c.stopReason(exitCode);
        if (checkpointPoller != null) {
            // once more now that the command ended (after a forwarded SIGTERM too: what it saved in its grace period)
            checkpointPoller.shutdown();
            checkpointPoller.awaitTermination(120, TimeUnit.SECONDS);
            checkpoints.uploadNewest();
        }
        // the command has ended (by itself or after a forwarded SIGTERM): its outputs go to the artifact store
        uploadArtifacts();
        metrics.flush();
        if (reporter.dropped() > 0) {
            reporter.event(run.metricWarning(reporter.dropped(), REPORTS_DROPPED, null, System.currentTimeMillis()));
        }
        heartbeats.close();
        reporter.event(run.finished(exitCode, reason, ChildProcess.signalOf(exitCode), System.currentTimeMillis()));
        return finish(exitCode, reason, recorder);
    }

    /**
     * Materialises the run's data snapshot before the command starts. Returns null when the data is in place, else
     * the exit code of a run that ends here: the data did not verify or could not be fetched ({@link DataStage}), or a
     * stop signal came first.
     */
    private Integer materialiseData(MetricsRecorder recorder) {
        DataStage.Outcome data;
        synchronized (stopLock) {
            dataStage = Thread.currentThread();
        }
        try {
            data = pendingStop != null ? null : new DataStage(options.data(), options.runToken(), log).run();
        } catch (InterruptedException e) {
            data = null;
        } finally {
            synchronized (stopLock) {
                dataStage = null;
                Thread.interrupted();
            }
        }
        if (data == null) {
            int signal = "INT".equals(pendingStop) ? 2 : 15;
            log.warn("stopped (SIG" + pendingStop + ") while materialising the data snapshot; the command was not "
                    + "started");
            reporter.event(run.finished(128 + signal, StopReason.TERMINATED, signal, System.currentTimeMillis()));
            return finish(128 + signal, StopReason.TERMINATED, recorder);
        }
        if (data instanceof DataStage.Failed failed) {
            log.warn(failed.message());
            reporter.event(run.finished(failed.exitCode(), StopReason.AGENT_ERROR, null, System.currentTimeMillis(),
                    failed.message()));
            return finish(failed.exitCode(), StopReason.AGENT_ERROR, recorder);
        }
        dataSnapshotId = ((DataStage.Ready) data).snapshotId();
        return null;
    }

    /** Uploads REPRISE_OUTPUT_DIR when REPRISE_ARTIFACTS_URL is set; a failure is logged, never fatal. */
    private void uploadArtifacts() {
        String url = TrialEnvironment.read(env).get(TrialVariable.ARTIFACTS_URL).orElse(null);
        String dir = TrialEnvironment.read(env).get(TrialVariable.OUTPUT_DIR).orElse(null);
        if (url == null || url.isBlank() || dir == null || dir.isBlank()) {
            return;
        }
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                    .connectTimeout(java.time.Duration.ofSeconds(10)).build();
            dev.reprise.agent.artifacts.ArtifactUploader.Result r = new dev.reprise.agent.artifacts.ArtifactUploader(
                    http, options.runToken(), log::warn, java.time.Duration.ofSeconds(30)).upload(java.net.URI.create(url.strip()),
                    Path.of(dir));
            log.warn("artifacts: " + r.files() + " file(s) from " + dir + ", " + r.uploaded() + " new blob(s) ("
                    + r.uploadedBytes() + " bytes) uploaded, manifest " + r.manifestId());
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("cannot upload the artifacts in " + dir + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("artifact upload interrupted");
        }
    }

    private int finish(int exitCode, StopReason reason, MetricsRecorder recorder) {
        boolean delivered = reporter.flush(options.flushTimeout());
        reporter.close();
        log.warn("run " + run.runId() + " attempt " + run.attempt() + ": " + reason + " (exit " + exitCode + "), "
                + recorder.pointCount() + " metric point(s)"
                + (delivered ? "" : "; not all reports were delivered within " + options.flushTimeout().toSeconds()
                + " s"));
        return exitCode;
    }

    private void tick(MetricsFileTailer tailer, MetricBatcher metrics, LogBatcher logs) {
        try {
            if (reportsMetrics) {
                tailer.poll();
            }
            long now = System.currentTimeMillis();
            metrics.flushIfDue(now);
            logs.flushIfDue(now);
        } catch (RuntimeException e) {
            // keep ticking: one bad round must not end metric capture
        }
    }

    private Map<String, String> childEnvironment() {
        TrialEnvironment trial = TrialEnvironment.empty()
                .with(TrialVariable.RUN_ID, run.runId())
                .with(TrialVariable.ATTEMPT, run.attempt())
                .with(TrialVariable.AGENT_ID, run.agentId())
                .with(TrialVariable.METRICS_FILE, options.metricsFile().toAbsolutePath().toString());
        if (resumeStep >= 0) {
            trial = trial.with(TrialVariable.RESUME_STEP, resumeStep);
        }
        if (dataSnapshotId != null) {
            trial = trial.with(TrialVariable.DATA_DIR, options.data().dir().toAbsolutePath().toString())
                    .with(TrialVariable.DATA_SNAPSHOT, dataSnapshotId);
        }
        Map<String, String> extra = new HashMap<>(commandEnv);
        extra.putAll(trial.toEnv());
        if (!env.containsKey("PYTHONUNBUFFERED")) {
            extra.put("PYTHONUNBUFFERED", "1");
        }
        return extra;
    }

    private void prepareWorkDir() {
        try {
            dev.reprise.agent.report.PrivateDirectories.create(options.workDir());
            Path parent = options.metricsFile().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            log.warn("cannot create work dir " + options.workDir() + ": " + e.getMessage());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
