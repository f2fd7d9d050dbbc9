package dev.reprise.orchestrator.execution.kubernetes;

import dev.reprise.orchestrator.execution.DistributedEnv;
import dev.reprise.orchestrator.execution.Executor;
import dev.reprise.orchestrator.execution.LaunchException;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObserver;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.reprise.orchestrator.execution.TrialObservation;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs each trial attempt as a {@code batch/v1} Job (see {@link TrialJobFactory}) in one namespace and follows it with
 * a {@link TrialWatcher}.
 *
 * <ul>
 * <li>Launch creates the Job, then the ConfigMap with the run's config, owned by the Job so that garbage collection
 * removes it with the Job. Both are idempotent: AlreadyExists is success (after checking that the existing Job is
 * this attempt's), so a retry or a reconciler relaunch after a restart never doubles a trial. The pod waits for
 * the ConfigMap volume if it starts first.</li>
 * <li>API errors: Fabric8 itself retries 429 and 5xx (honouring Retry-After) and connection failures
 * ({@code requestRetryBackoffLimit}); what still fails is retried here with exponential backoff and jitter, then
 * reported as a retryable {@link LaunchException}. 400/401/403/404/422 are not retried and carry the server's
 * message (403 "exceeded quota" is retryable: it can work once other trials finish).</li>
 * <li>{@link #launchAll} spreads the launches over a bounded pool of threads.</li>
 * <li>Stop deletes by label with background propagation (the garbage collector removes pods and ConfigMaps).</li>
 * <li>Every object carries this installation's identity ({@link TrialJobFactory#installation()}) in its name and in
 * the label {@code reprise.dev/installation}; watching, listing, adopting and deleting all select on it, so the Jobs
 * of another installation in the same namespace, or of an earlier database whose run ids this one repeats, are
 * never taken for this installation's (they are counted and reported once at start).</li>
 * </ul>
 */
public final class KubernetesExecutor implements Executor, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KubernetesExecutor.class);
    private static final long LIST_PAGE = 500;

    /**
     * @param namespace         where trials run
     * @param launchConcurrency threads creating Jobs in {@link #launchAll}
     * @param backoff           retries of a failing API call (beyond Fabric8's own)
     * @param imagePullGrace    how long an image pull may fail before the attempt counts as failed
     * @param resync            informer resync period (re-evaluates time-based rules); null or zero = none
     */
    public record Settings(String namespace, int launchConcurrency, Backoff backoff, Duration imagePullGrace,
            Duration resync) {

        public Settings {
            Objects.requireNonNull(namespace, "namespace");
            if (launchConcurrency < 1) {
                throw new IllegalArgumentException("launchConcurrency must be at least 1");
            }
        }

        public static Settings defaults(String namespace) {
            return new Settings(namespace, 32, new Backoff(5, Duration.ofMillis(200), Duration.ofSeconds(10)),
                    Duration.ofMinutes(5), Duration.ofMinutes(5));
        }

        public Settings withBackoff(Backoff b) {
            return new Settings(namespace, launchConcurrency, b, imagePullGrace, resync);
        }

        public Settings withLaunchConcurrency(int n) {
            return new Settings(namespace, n, backoff, imagePullGrace, resync);
        }
    }

    private final KubernetesClient client;
    /** The ranks the rendezvous gave the pods of running distributed attempts, to name a failed rank. */
    private final Map<AttemptKey, Map<String, Integer>> ranks = new java.util.concurrent.ConcurrentHashMap<>();
    private final Settings settings;
    private final TrialJobFactory factory;
    private final Supplier<Capabilities> capabilitySource;
    private final Clock clock;
    private final ExecutorService launchPool;
    private final ExecutorService cleanupPool;
    private volatile Capabilities capabilities;
    private volatile TrialWatcher watcher;

    /**
     * @param capabilitySource what the server supports; called once, lazily (null = discover it from the server)
     */
    public KubernetesExecutor(KubernetesClient client, Settings settings, TrialJobFactory factory,
            Supplier<Capabilities> capabilitySource, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.factory = factory;
        this.capabilitySource = capabilitySource != null ? capabilitySource
                : () -> CapabilityDiscovery.discover(client, settings.namespace(), factory);
        this.clock = clock;
        this.launchPool = Executors.newFixedThreadPool(settings.launchConcurrency(), threads("reprise-k8s-launch"));
        this.cleanupPool = Executors.newSingleThreadExecutor(threads("reprise-k8s-cleanup"));
    }

    public String namespace() {
        return settings.namespace();
    }

    /** What the server supports, discovered on first use (retried with backoff when the server does not answer). */
    public Capabilities capabilities() {
        Capabilities c = capabilities;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (capabilities == null) {
                capabilities = retrying("discover the API server's capabilities", capabilitySource::get);
            }
            return capabilities;
        }
    }

    @Override
    public synchronized void start(TrialObserver observer) {
        if (watcher != null) {
            return;
        }
        Capabilities caps = capabilities();
        Integer ttl = factory.settings().ttlSecondsAfterFinished();
        TrialWatcher w = new TrialWatcher(client, settings.namespace(), factory.installation(), caps, observer, clock,
                settings.imagePullGrace(), settings.resync(), ttl, this::deleteAttemptAsync,
                (key, pod) -> ranks.getOrDefault(key, Map.of()).get(pod));
        w.start();
        reportForeignJobs();
        watcher = w;
    }

    @Override
    public void launch(TrialLaunch launch) throws LaunchException {
        Capabilities caps;
        try {
            caps = capabilities();
        } catch (RuntimeException e) {
            throw new LaunchException("cannot reach the Kubernetes API server: " + ApiErrors.describe(e),
                    true, e);
        }
        Job desired;
        try {
            desired = factory.desiredJob(launch, caps);
        } catch (RuntimeException e) {
            // a launch the factory refuses (a setting missing for it) fails that run with its reason; it must not
            // fail the scheduler's whole round, again and again
            throw new LaunchException("cannot make the Job of run " + launch.runId() + ": " + e.getMessage(), false,
                    e);
        }
        String name = desired.getMetadata().getName();
        Job job = call("create Job " + name, () -> createJob(desired, launch));
        ConfigMap configMap = TrialJobFactory.ownedBy(factory.desiredConfigMap(launch), job);
        call("create ConfigMap " + name, () -> createConfigMap(configMap));
    }

    @Override
    public List<LaunchFailure> launchAll(Collection<TrialLaunch> launches) {
        if (launches.size() <= 1) {
            return Executor.super.launchAll(launches);
        }
        Map<TrialLaunch, Future<?>> futures = new LinkedHashMap<>();
        List<LaunchFailure> failures = new ArrayList<>();
        for (TrialLaunch l : launches) {
            try {
                futures.put(l, launchPool.submit(() -> {
                    launch(l);
                    return null;
                }));
            } catch (RejectedExecutionException e) {
                failures.add(new LaunchFailure(l, new LaunchException("the executor is shutting down", true, e)));
            }
        }
        boolean interrupted = false;
        for (Map.Entry<TrialLaunch, Future<?>> e : futures.entrySet()) {
            try {
                e.getValue().get();
            } catch (InterruptedException ie) {
                interrupted = true;
                e.getValue().cancel(true);
                failures.add(new LaunchFailure(e.getKey(), new LaunchException("interrupted", true, ie)));
            } catch (ExecutionException ee) {
                Throwable cause = ee.getCause();
                LaunchException le = cause instanceof LaunchException l ? l
                        : new LaunchException("launch failed: " + ApiErrors.describe(cause), true, cause);
                failures.add(new LaunchFailure(e.getKey(), le));
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return failures;
    }

    @Override
    public boolean rendezvous() {
        return true;
    }

    /** On the node's network (hostNetwork) every rank 0 of a node shares its ports: one port per attempt. */
    @Override
    public int masterPort(long runId, int attempt) {
        return factory.settings().hostNetwork() ? DistributedEnv.sharedNetworkPort(runId, attempt)
                : DistributedEnv.DEFAULT_MASTER_PORT;
    }

    /**
     * A suspended Job (Kueue's, while its workload queues) holds the start deadline; a resumed one starts it at its
     * resumption ({@link JobAdmission}). Read from the watcher's informer cache: no API call per scheduling round.
     */
    @Override
    public Optional<java.time.Instant> startDeadlineClock(long runId, int attempt, java.time.Instant launchedAt) {
        TrialWatcher w = watcher;
        Optional<Job> job = w == null ? Optional.empty() : w.job(new AttemptKey(runId, attempt));
        return job.isPresent() ? JobAdmission.startDeadlineClock(job.get(), launchedAt)
                : Optional.ofNullable(launchedAt);
    }

    @Override
    public void rankAssigned(long runId, int attempt, String member, int rank) {
        ranks.computeIfAbsent(new AttemptKey(runId, attempt), k -> new java.util.concurrent.ConcurrentHashMap<>())
                .put(member, rank);
    }

    @Override
    public void applied(TrialObservation observation) {
        if (observation instanceof TrialObservation.Running) {
            return;
        }
        if (!(observation instanceof TrialObservation.Launched)) {
            ranks.remove(new AttemptKey(observation.runId(), observation.attempt()));
        }
    }

    @Override
    public void stop(long runId, int attempt) {
        AttemptKey key = new AttemptKey(runId, attempt);
        TrialWatcher w = watcher;
        if (w != null) {
            w.markStopping(key);
        }
        deleteBy(key.toString(), attemptLabels(key));
    }

    @Override
    public void stopSweep(long sweepId) {
        TrialWatcher w = watcher;
        if (w != null) {
            w.markSweepStopping(sweepId);
        }
        deleteBy("sweep " + sweepId, Map.of(TrialLabels.MANAGED_BY, TrialLabels.REPRISE,
                TrialLabels.INSTALLATION, factory.installation(), TrialLabels.SWEEP_ID, Long.toString(sweepId)));
    }

    /**
     * Every Reprise Job in the namespace, page by page. Throws when the server cannot be read (after retries): a
     * partial or empty answer would make the reconciler think trials were lost.
     */
    @Override
    public List<TrialRef> list() {
        List<TrialRef> refs = new ArrayList<>();
        String continueToken = null;
        do {
            String token = continueToken;
            JobList page;
            try {
                page = retrying("list Jobs", () -> client.batch().v1().jobs().inNamespace(settings.namespace())
                        .withLabels(TrialLabels.installationSelector(factory.installation()))
                        .list(new ListOptionsBuilder().withLimit(LIST_PAGE).withContinue(token).build()));
            } catch (ApiCallFailed e) {
                throw new IllegalStateException("cannot list Reprise Jobs in namespace " + settings.namespace() + ": "
                        + e.getMessage(), e.getCause());
            }
            for (Job job : page.getItems()) {
                Optional<AttemptKey> key = TrialLabels.attemptOf(job.getMetadata());
                Optional<Long> sweep = TrialLabels.sweepIdOf(job.getMetadata());
                if (key.isPresent() && sweep.isPresent()) {
                    refs.add(new TrialRef(key.get().runId(), key.get().attempt(), sweep.get(), finished(job)));
                }
            }
            continueToken = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (continueToken != null && !continueToken.isEmpty());
        return refs;
    }

    /**
     * Logs, once, the Reprise Jobs in the namespace that belong to another installation or to an earlier database
     * (or were created before installations had an identity): this executor never adopts, watches or deletes them.
     */
    private void reportForeignJobs() {
        try {
            List<Job> all = client.batch().v1().jobs().inNamespace(settings.namespace())
                    .withLabel(TrialLabels.MANAGED_BY, TrialLabels.REPRISE).list().getItems();
            Map<String, Integer> byInstallation = new java.util.TreeMap<>();
            for (Job job : all) {
                String other = TrialLabels.installationOf(job.getMetadata()).orElse("(none)");
                if (!other.equals(factory.installation())) {
                    byInstallation.merge(other, 1, Integer::sum);
                }
            }
            if (!byInstallation.isEmpty()) {
                LOG.warnf("namespace %s holds %d Reprise Jobs of other installations or of an earlier database"
                        + " (Jobs by installation: %s); this installation (%s) leaves them alone: it never adopts,"
                        + " follows or deletes them", settings.namespace(),
                        byInstallation.values().stream().mapToInt(Integer::intValue).sum(), byInstallation,
                        factory.installation());
            }
        } catch (RuntimeException e) {
            LOG.debugf("could not look for other installations' Jobs: %s", ApiErrors.describe(e));
        }
    }

    private static boolean finished(Job job) {
        return job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions()
                .stream().anyMatch(c -> "True".equals(c.getStatus())
                        && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())));
    }

    @Override
    public void close() {
        TrialWatcher w = watcher;
        if (w != null) {
            w.close();
        }
        launchPool.shutdownNow();
        cleanupPool.shutdownNow();
    }

    // ---- creation --------------------------------------------------------------------------------------------------

    private Job createJob(Job desired, TrialLaunch launch) {
        String name = desired.getMetadata().getName();
        try {
            return client.batch().v1().jobs().inNamespace(settings.namespace()).resource(desired).create();
        } catch (RuntimeException e) {
            if (ApiErrors.classify(e) != ApiErrors.Kind.ALREADY_EXISTS) {
                throw e;
            }
        }
        Job existing = client.batch().v1().jobs().inNamespace(settings.namespace()).withName(name).get();
        if (existing == null) {
            throw new TransientState("Job " + name + " existed a moment ago and is gone now");
        }
        AttemptKey want = new AttemptKey(launch.runId(), launch.attempt());
        Optional<String> owner = TrialLabels.installationOf(existing.getMetadata());
        if (owner.isEmpty() || !owner.get().equals(factory.installation())) {
            String message = "Job " + name + " already exists and belongs to " + owner.map(o -> "installation " + o)
                    .orElse("no installation (created before installations had an identity)") + ", not to this one ("
                    + factory.installation() + "); it is left alone";
            LOG.warn(message);
            throw new PermanentState(message);
        }
        Optional<AttemptKey> have = TrialLabels.attemptOf(existing.getMetadata());
        Optional<Long> sweep = TrialLabels.sweepIdOf(existing.getMetadata());
        if (have.isEmpty() || !have.get().equals(want) || sweep.isEmpty() || sweep.get() != launch.sweepId()) {
            throw new PermanentState("Job " + name + " already exists and does not belong to " + want
                    + " of sweep " + launch.sweepId() + " (labels " + existing.getMetadata().getLabels() + ")");
        }
        if (existing.getMetadata().getDeletionTimestamp() != null) {
            throw new TransientState("an earlier Job " + name + " is still being deleted");
        }
        LOG.debugf("Job %s already exists: %s counts as launched", name, want);
        return existing;
    }

    private ConfigMap createConfigMap(ConfigMap desired) {
        try {
            return client.configMaps().inNamespace(settings.namespace()).resource(desired).create();
        } catch (RuntimeException e) {
            if (ApiErrors.classify(e) == ApiErrors.Kind.ALREADY_EXISTS) {
                return desired;
            }
            throw e;
        }
    }

    // ---- deletion --------------------------------------------------------------------------------------------------

    private Map<String, String> attemptLabels(AttemptKey key) {
        return Map.of(TrialLabels.MANAGED_BY, TrialLabels.REPRISE, TrialLabels.INSTALLATION, factory.installation(),
                TrialLabels.RUN, Long.toString(key.runId()),
                TrialLabels.ATTEMPT, Integer.toString(key.attempt()));
    }

    private void deleteAttemptAsync(AttemptKey key) {
        try {
            cleanupPool.execute(() -> deleteBy(key.toString(), attemptLabels(key)));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Deletes Jobs (and their ConfigMaps) by label; failures are logged, never thrown (the reconciler retries). */
    private void deleteBy(String what, Map<String, String> labels) {
        try {
            retrying("delete the Jobs of " + what, () -> client.batch().v1().jobs().inNamespace(settings.namespace())
                    .withLabels(labels).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
            retrying("delete the ConfigMaps of " + what, () -> client.configMaps().inNamespace(settings.namespace())
                    .withLabels(labels).delete());
        } catch (ApiCallFailed e) {
            LOG.warnf("could not delete the Jobs of %s: %s (they are retried by reconciliation)", what, e.getMessage());
        }
    }

    // ---- retries ---------------------------------------------------------------------------------------------------

    private <T> T call(String what, Supplier<T> action) throws LaunchException {
        try {
            return retrying(what, action);
        } catch (ApiCallFailed e) {
            throw new LaunchException(e.getMessage(), e.retryable, e.getCause());
        }
    }

    /** Runs {@code action}, retrying transient failures with backoff; throws {@link ApiCallFailed} otherwise. */
    private <T> T retrying(String what, Supplier<T> action) {
        Backoff backoff = settings.backoff();
        for (int attempt = 0; ; attempt++) {
            RuntimeException error;
            boolean transientError;
            boolean retryableLater;
            try {
                return action.get();
            } catch (TransientState e) {
                error = e;
                transientError = true;
                retryableLater = true;
            } catch (PermanentState e) {
                throw new ApiCallFailed(what + ": " + e.getMessage(), false, e);
            } catch (RuntimeException e) {
                error = e;
                ApiErrors.Kind kind = ApiErrors.classify(e);
                transientError = kind == ApiErrors.Kind.TRANSIENT;
                retryableLater = kind == ApiErrors.Kind.TRANSIENT || kind == ApiErrors.Kind.LATER;
            }
            String reason = error instanceof TransientState ? error.getMessage() : ApiErrors.describe(error);
            if (!transientError || attempt + 1 >= backoff.maxAttempts()) {
                String tries = transientError ? " (after " + (attempt + 1) + " attempts)" : "";
                throw new ApiCallFailed(what + " failed" + tries + ": " + reason, retryableLater, error);
            }
            Duration delay = backoff.delay(attempt, ApiErrors.retryAfter(error).orElse(null));
            LOG.debugf("%s failed (%s); retrying in %d ms", what, reason, delay.toMillis());
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new ApiCallFailed(what + " interrupted", true, error);
            }
        }
    }

    /** A call that failed for good (or for now). */
    private static final class ApiCallFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final boolean retryable;

        ApiCallFailed(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }
    }

    /** The cluster is in a state that a moment's wait can fix (an old Job still being deleted). */
    private static final class TransientState extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TransientState(String message) {
            super(message);
        }
    }

    /** The cluster is in a state no retry can fix (the name is taken by another trial). */
    private static final class PermanentState extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PermanentState(String message) {
            super(message);
        }
    }

    private static java.util.concurrent.ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
