package dev.reprise.orchestrator.execution.kubernetes;

import dev.reprise.orchestrator.execution.ExecutorLifecycleContract;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The shared lifecycle contract with the Kubernetes executor against the real API server (1.20) and its real Job
 * controller. There is no kubelet: a fake one binds each new pod to a node, reports it running, and ends it with the
 * exit code the test released it with; it also finishes the deletion of pods, as a kubelet does.
 */
class KubernetesExecutorLifecycleIT extends ExecutorLifecycleContract {

    @Override
    protected TrialWorld newWorld() {
        QuietLogs.apply();
        return new Cluster(RealApiServer.adminClient());
    }

    /** The node the fake kubelet binds pods to: registered, so the pod garbage collector leaves its pods alone. */
    private static final String NODE = "gpu-node-1";

    private static final class Cluster implements TrialWorld {
        private final KubernetesClient admin;
        private final String ns;
        /** Every Job ever created, by {@code run/attempt}: their uids (a Job deleted and created again has two). */
        private final Map<String, Set<String>> jobs = new ConcurrentHashMap<>();
        private final Map<String, Integer> released = new ConcurrentHashMap<>();
        private final SharedIndexInformer<Job> jobInformer;
        private final ScheduledExecutorService kubelet = Executors.newSingleThreadScheduledExecutor();

        Cluster(KubernetesClient admin) {
            this.admin = admin;
            this.ns = RealApiServer.freshNamespace(admin, "reprise-lc");
            RealApiServer.ensureNode(admin, NODE);
            this.jobInformer = admin.batch().v1().jobs().inNamespace(ns).inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Job job) {
                    jobs.computeIfAbsent(key(job), k -> ConcurrentHashMap.newKeySet()).add(job.getMetadata().getUid());
                }

                @Override
                public void onUpdate(Job oldJob, Job newJob) {
                    onAdd(newJob);
                }

                @Override
                public void onDelete(Job job, boolean deletedFinalStateUnknown) {
                }
            });
            kubelet.scheduleWithFixedDelay(this::syncPods, 0, 200, TimeUnit.MILLISECONDS);
        }

        private static String key(HasMetadata o) {
            Map<String, String> labels = o.getMetadata().getLabels();
            return labels.get(TrialLabels.RUN) + "/" + labels.get(TrialLabels.ATTEMPT);
        }

        /** One pass of the fake kubelet over the namespace's pods. */
        private void syncPods() {
            try {
                for (Pod pod : admin.pods().inNamespace(ns).list().getItems()) {
                    syncPod(pod);
                }
            } catch (KubernetesClientException e) {
                // the next pass retries; a pod may have gone between the list and the write
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        }

        private void syncPod(Pod pod) {
            String name = pod.getMetadata().getName();
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                admin.pods().inNamespace(ns).withName(name).withGracePeriod(0).delete();
                return;
            }
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                return;
            }
            if (pod.getSpec().getNodeName() == null) {
                RealApiServer.bind(admin, ns, pod, NODE);
            }
            Instant started = Instant.now().minusSeconds(1);
            Integer exit = released.get(key(pod));
            if (exit == null) {
                if (!"Running".equals(phase)) {
                    RealApiServer.setPodStatus(admin, ns, pod, PodStatuses.running(started));
                }
            } else {
                RealApiServer.setPodStatus(admin, ns, pod, exit == 0 ? PodStatuses.succeeded(started, Instant.now())
                        : PodStatuses.failed(exit, started, Instant.now()));
            }
        }

        @Override
        public Map<String, String> settings() {
            return Map.of(
                    "reprise.executor", "kubernetes",
                    "reprise.kubernetes.namespace", ns,
                    "reprise.kubernetes.server-capabilities", "auto",
                    // the agents' Kafka credential goes into Jobs from this Secret, never inline (the pods here are
                    // written by the test, so the Secret need not exist)
                    "reprise.kubernetes.agent-kafka-secret", "reprise-kafka-agent");
        }

        @Override
        public Map<String, String> environment() {
            return Map.of("KUBECONFIG", RealApiServer.kubeconfig().toString());
        }

        @Override
        public String command() {
            return "[python, train.py]";
        }

        @Override
        public void release(long runId, int attempt, int exitCode) {
            released.put(runId + "/" + attempt, exitCode);
        }

        @Override
        public Map<String, Integer> executions() {
            Map<String, Integer> out = new TreeMap<>();
            jobs.forEach((k, uids) -> out.put(k, uids.size()));
            return out;
        }

        @Override
        public boolean live(long runId, int attempt) {
            return !admin.batch().v1().jobs().inNamespace(ns).withLabel(TrialLabels.RUN, Long.toString(runId))
                    .withLabel(TrialLabels.ATTEMPT, Integer.toString(attempt)).list().getItems().isEmpty();
        }

        @Override
        public boolean ended(long runId, int attempt) {
            return admin.batch().v1().jobs().inNamespace(ns).withLabel(TrialLabels.RUN, Long.toString(runId))
                    .withLabel(TrialLabels.ATTEMPT, Integer.toString(attempt)).list().getItems().stream()
                    .anyMatch(j -> j.getStatus() != null && j.getStatus().getConditions() != null
                            && j.getStatus().getConditions().stream().anyMatch(c -> "True".equals(c.getStatus())
                                    && ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))));
        }

        @Override
        public boolean keepsFinishedTrials() {
            return true;
        }

        @Override
        public void close() {
            kubelet.shutdownNow();
            jobInformer.close();
            RealApiServer.deleteNamespace(admin, ns);
            admin.close();
        }
    }
}
