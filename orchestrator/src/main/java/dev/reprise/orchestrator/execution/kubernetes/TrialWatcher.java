package dev.reprise.orchestrator.execution.kubernetes;

import dev.reprise.orchestrator.execution.TrialObservation;
import dev.reprise.orchestrator.execution.TrialObserver;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Follows this installation's Jobs and their pods with two informers (labels {@code app.kubernetes.io/managed-by=reprise}
 * and {@code reprise.dev/installation=<its identity>}: another installation's trials are never seen) and
 * turns what they show into {@link TrialObservation}s: Launched when a Job appears, Running (node and image digest)
 * when its training container runs, then one terminal observation, and Vanished when a Job disappears without one.
 *
 * <p>All state lives on one thread, fed by both informers, so per attempt the observations come in order. Each is
 * emitted at most once per pod (Running) or attempt (the rest) while this watcher lives; after a restart the initial
 * list repeats them, which the run lifecycle ignores.
 */
final class TrialWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TrialWatcher.class);
    private static final int TOMBSTONES = 10_000;

    private final KubernetesClient client;
    private final String namespace;
    private final String installation;
    private final Capabilities capabilities;
    private final TrialObserver observer;
    private final Clock clock;
    private final Duration imagePullGrace;
    private final Duration resync;
    private final Integer ttlSecondsAfterFinished;
    private final Consumer<AttemptKey> deleteAttempt;

    private final ScheduledExecutorService loop;
    private final Map<AttemptKey, AttemptState> states = new HashMap<>();
    private final Map<AttemptKey, Boolean> tombstones = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<AttemptKey, Boolean> eldest) {
            return size() > TOMBSTONES;
        }
    };
    private final Set<AttemptKey> stopping = ConcurrentHashMap.newKeySet();
    private final Set<Long> stoppingSweeps = ConcurrentHashMap.newKeySet();

    private final java.util.function.BiFunction<AttemptKey, String, Integer> rankOf;
    private SharedIndexInformer<Job> jobInformer;
    private SharedIndexInformer<Pod> podInformer;

    /**
     * @param ttlSecondsAfterFinished when the server does not support the Job field, the watcher deletes finished
     *                                Jobs itself after this long (null = never)
     * @param deleteAttempt           deletes an attempt's objects (called off this watcher's thread is fine)
     */
    TrialWatcher(KubernetesClient client, String namespace, String installation, Capabilities capabilities, TrialObserver observer,
            Clock clock, Duration imagePullGrace, Duration resync, Integer ttlSecondsAfterFinished,
            Consumer<AttemptKey> deleteAttempt, java.util.function.BiFunction<AttemptKey, String, Integer> rankOf) {
        this.rankOf = rankOf;
        this.client = client;
        this.namespace = namespace;
        this.installation = installation;
        this.capabilities = capabilities;
        this.observer = observer;
        this.clock = clock;
        this.imagePullGrace = imagePullGrace;
        this.resync = resync;
        this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
        this.deleteAttempt = deleteAttempt;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reprise-trial-watcher");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts both informers; returns once their initial lists are in (their events are being handled). */
    void start() {
        long resyncMillis = resync == null ? 0 : resync.toMillis();
        podInformer = client.pods().inNamespace(namespace)
                .withLabels(TrialLabels.installationSelector(installation))
                .inform(handler(this::onPod), resyncMillis);
        jobInformer = client.batch().v1().jobs().inNamespace(namespace)
                .withLabels(TrialLabels.installationSelector(installation))
                .inform(handler(this::onJob), resyncMillis);
        LOG.infof("watching the Jobs and pods of installation %s in namespace %s (server %s, podFailurePolicy %s)",
                installation, namespace, capabilities.version(), capabilities.podFailurePolicy() ? "on" : "off: preemption read from pods");
    }

    /** The attempt's Job as the informer's cache has it now (empty before start or when there is none). */
    java.util.Optional<Job> job(AttemptKey key) {
        SharedIndexInformer<Job> informer = jobInformer;
        if (informer == null) {
            return java.util.Optional.empty();
        }
        return informer.getStore().list().stream()
                .filter(j -> TrialLabels.attemptOf(j.getMetadata()).filter(key::equals).isPresent()).findFirst();
    }

    /** The executor is deleting this attempt: its disappearance is not Vanished, and its pods' deaths are not news. */
    void markStopping(AttemptKey key) {
        stopping.add(key);
    }

    void markSweepStopping(long sweepId) {
        stoppingSweeps.add(sweepId);
    }

    @Override
    public void close() {
        if (jobInformer != null) {
            jobInformer.close();
        }
        if (podInformer != null) {
            podInformer.close();
        }
        loop.shutdownNow();
    }

    private interface Handler<T> {
        void handle(T resource, boolean deleted);
    }

    private <T> ResourceEventHandler<T> handler(Handler<T> h) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                submit(() -> h.handle(obj, false));
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                submit(() -> h.handle(newObj, false));
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                submit(() -> h.handle(obj, true));
            }
        };
    }

    private void submit(Runnable r) {
        try {
            loop.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.error("trial watcher: could not handle an event", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    // ---- on the loop thread --------------------------------------------------------------------------------------

    private void onJob(Job job, boolean deleted) {
        AttemptKey key = TrialLabels.attemptOf(job.getMetadata()).orElse(null);
        if (key == null) {
            return;
        }
        if (deleted) {
            AttemptState st = states.remove(key);
            tombstones.put(key, Boolean.TRUE);
            boolean wasStopping = stopping.remove(key) || TrialLabels.sweepIdOf(job.getMetadata())
                    .map(stoppingSweeps::contains).orElse(false);
            if ((st == null || !st.terminal) && !wasStopping) {
                emit(new TrialObservation.Vanished(key.runId(), key.attempt(), clock.instant()));
            }
            return;
        }
        tombstones.remove(key);
        AttemptState st = states.computeIfAbsent(key, AttemptState::new);
        st.job = job;
        st.sweepId = TrialLabels.sweepIdOf(job.getMetadata()).orElse(st.sweepId);
        if (!st.launched && !st.terminal) {
            st.launched = true;
            emit(new TrialObservation.Launched(key.runId(), key.attempt(),
                    Times.parseOr(job.getMetadata().getCreationTimestamp(), clock.instant())));
        }
        evaluate(st);
    }

    private void onPod(Pod pod, boolean deleted) {
        AttemptKey key = TrialLabels.attemptOf(pod.getMetadata()).orElse(null);
        if (key == null || tombstones.containsKey(key)) {
            return;
        }
        AttemptState st = states.computeIfAbsent(key, AttemptState::new);
        if (st.sweepId == null) {
            st.sweepId = TrialLabels.sweepIdOf(pod.getMetadata()).orElse(null);
        }
        st.pods.put(pod.getMetadata().getUid(), new TrialAssessor.PodView(pod, deleted));
        evaluate(st);
    }

    private void evaluate(AttemptState st) {
        if (st.terminal) {
            scheduleTtlDeletion(st);
            return;
        }
        if (isStopping(st)) {
            return;
        }
        if (!st.freshPodsRead && TrialAssessor.needsFreshPods(st.job, List.copyOf(st.pods.values()))) {
            // the Job's verdict came before the pod's last update reached our cache: read the pods now
            st.freshPodsRead = true;
            readPods(st);
        }
        Instant now = clock.instant();
        AttemptKey attempt = st.key;
        TrialAssessor.Assessment a = TrialAssessor.assess(st.job, List.copyOf(st.pods.values()), capabilities, now,
                imagePullGrace, pod -> rankOf.apply(attempt, pod));
        AttemptKey key = st.key;
        // a pod is reported running once, and once more when the kubelet first names the image it runs (a real
        // kubelet can report the pod running before the training container's imageID is known)
        if (a.running().isPresent() && (!st.runningPods.contains(a.running().get().podUid())
                || a.running().get().imageDigest() != null && !st.digestPods.contains(a.running().get().podUid()))) {
            TrialAssessor.RunningInfo r = a.running().get();
            st.runningPods.add(r.podUid());
            if (r.imageDigest() != null) {
                st.digestPods.add(r.podUid());
            }
            if (!st.launched) {
                st.launched = true;
                emit(new TrialObservation.Launched(key.runId(), key.attempt(), r.startedAt() == null ? now
                        : r.startedAt()));
            }
            emit(new TrialObservation.Running(key.runId(), key.attempt(),
                    r.startedAt() == null ? now : r.startedAt(), r.nodeName(), r.imageDigest()));
        }
        if (a.outcome().isPresent()) {
            st.terminal = true;
            st.finishedAt = a.outcome().get().at();
            emit(toObservation(key, a.outcome().get()));
            if (a.deleteJob()) {
                LOG.infof("%s: deleting its Job (%s)", key, describe(a.outcome().get()));
                deleteAttempt.accept(key);
            } else {
                scheduleTtlDeletion(st);
            }
        }
    }

    private void readPods(AttemptState st) {
        try {
            for (Pod p : client.pods().inNamespace(namespace)
                    .withLabel(TrialLabels.INSTALLATION, installation)
                    .withLabel(TrialLabels.RUN, Long.toString(st.key.runId()))
                    .withLabel(TrialLabels.ATTEMPT, Integer.toString(st.key.attempt()))
                    .list().getItems()) {
                TrialAssessor.PodView old = st.pods.get(p.getMetadata().getUid());
                if (old == null || !old.deleted()) {
                    st.pods.put(p.getMetadata().getUid(), new TrialAssessor.PodView(p, false));
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("%s: could not read its pods (%s); classifying from the cache", st.key, ApiErrors.describe(e));
        }
    }

    /** Without server-side ttlSecondsAfterFinished, delete the finished Job ourselves once the TTL has passed. */
    private void scheduleTtlDeletion(AttemptState st) {
        if (capabilities.ttlSecondsAfterFinished() || ttlSecondsAfterFinished == null || st.ttlScheduled
                || st.job == null || isStopping(st)) {
            return;
        }
        if (TrialAssessor.condition(st.job, "Complete") == null && TrialAssessor.condition(st.job, "Failed") == null) {
            return;
        }
        st.ttlScheduled = true;
        Instant due = (st.finishedAt == null ? clock.instant() : st.finishedAt)
                .plusSeconds(ttlSecondsAfterFinished);
        long delay = Math.max(0, Duration.between(clock.instant(), due).toMillis());
        AttemptKey key = st.key;
        loop.schedule(() -> {
            if (states.containsKey(key)) {
                LOG.debugf("%s: finished more than %d s ago, deleting its Job", key, ttlSecondsAfterFinished);
                stopping.add(key);
                deleteAttempt.accept(key);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private boolean isStopping(AttemptState st) {
        return stopping.contains(st.key) || (st.sweepId != null && stoppingSweeps.contains(st.sweepId));
    }

    private void emit(TrialObservation o) {
        try {
            observer.observe(o);
        } catch (RuntimeException e) {
            LOG.errorf(e, "trial observer failed on %s", o);
        }
    }

    private static TrialObservation toObservation(AttemptKey key, TrialAssessor.Outcome outcome) {
        if (outcome instanceof TrialAssessor.Outcome.Succeeded s) {
            return new TrialObservation.Succeeded(key.runId(), key.attempt(), s.at(), s.exitCode());
        }
        if (outcome instanceof TrialAssessor.Outcome.Failed f) {
            return new TrialObservation.Failed(key.runId(), key.attempt(), f.at(), f.cause(), f.exitCode(),
                    f.message());
        }
        TrialAssessor.Outcome.Preempted p = (TrialAssessor.Outcome.Preempted) outcome;
        return new TrialObservation.Preempted(key.runId(), key.attempt(), p.at(), p.message());
    }

    private static String describe(TrialAssessor.Outcome o) {
        if (o instanceof TrialAssessor.Outcome.Failed f) {
            return f.cause() + ": " + f.message();
        }
        if (o instanceof TrialAssessor.Outcome.Preempted p) {
            return "preempted: " + p.message();
        }
        return "succeeded";
    }

    /** What the watcher knows about one attempt. Touched only on the loop thread. */
    private static final class AttemptState {
        final AttemptKey key;
        Long sweepId;
        Job job;
        final Map<String, TrialAssessor.PodView> pods = new LinkedHashMap<>();
        final Set<String> runningPods = new HashSet<>();
        final Set<String> digestPods = new HashSet<>();
        boolean launched;
        boolean terminal;
        boolean freshPodsRead;
        boolean ttlScheduled;
        Instant finishedAt;

        AttemptState(AttemptKey key) {
            this.key = key;
        }
    }
}
