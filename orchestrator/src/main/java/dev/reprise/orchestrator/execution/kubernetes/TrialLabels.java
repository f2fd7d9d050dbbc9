package dev.reprise.orchestrator.execution.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.Optional;

/**
 * The labels and annotations Reprise puts on every Job, pod template and ConfigMap it creates. Selecting by them is
 * how the executor finds its objects again (list, watch, stop) and how users find trials with kubectl.
 */
public final class TrialLabels {

    /** Well-known labels (kubernetes.io/docs/concepts/overview/working-with-objects/common-labels). */
    public static final String NAME = "app.kubernetes.io/name";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String REPRISE = "reprise";
    public static final String TRIAL = "trial";

    public static final String PROJECT = "reprise.dev/project";
    /** The sweep's name (as a label value): {@code kubectl get jobs -l reprise.dev/sweep=NAME}. */
    public static final String SWEEP = "reprise.dev/sweep";
    /** The sweep's id: what stopSweep and reconciliation select on (names are only unique within a project). */
    public static final String SWEEP_ID = "reprise.dev/sweep-id";
    /**
     * The installation's identity (stored in its database): the executor watches, adopts and deletes only objects
     * carrying its own, so another installation's trials and those of an earlier database are left alone.
     */
    public static final String INSTALLATION = "reprise.dev/installation";
    public static final String RUN = "reprise.dev/run";
    public static final String RUN_INDEX = "reprise.dev/run-index";
    public static final String ATTEMPT = "reprise.dev/attempt";
    /** Kueue's queue label: Kueue admits (un-suspends) the Job when its LocalQueue has quota. */
    public static final String KUEUE_QUEUE = "kueue.x-k8s.io/queue-name";

    public static final String CONFIG_HASH_ANNOTATION = "reprise.dev/config-hash";
    public static final String IMAGE_ANNOTATION = "reprise.dev/image";
    public static final String SWEEP_NAME_ANNOTATION = "reprise.dev/sweep-name";
    public static final String PROJECT_NAME_ANNOTATION = "reprise.dev/project-name";
    public static final String QUEUE_ANNOTATION = "reprise.dev/queue";
    /** Makes {@code kubectl logs} and {@code kubectl exec} pick the training container. */
    public static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

    /** Every Reprise trial object carries this; informers, list and cleanup select on it. */
    public static final Map<String, String> MANAGED = Map.of(MANAGED_BY, REPRISE);
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + REPRISE;

    private TrialLabels() {
    }

    /** The attempt an object belongs to, from its labels; empty for objects Reprise did not label. */
    public static Optional<AttemptKey> attemptOf(ObjectMeta meta) {
        if (meta == null || meta.getLabels() == null) {
            return Optional.empty();
        }
        Map<String, String> labels = meta.getLabels();
        try {
            String run = labels.get(RUN);
            String attempt = labels.get(ATTEMPT);
            if (run == null || attempt == null) {
                return Optional.empty();
            }
            return Optional.of(new AttemptKey(Long.parseLong(run), Integer.parseInt(attempt)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The installation an object belongs to, from its labels; empty for objects created before installations. */
    public static Optional<String> installationOf(ObjectMeta meta) {
        if (meta == null || meta.getLabels() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(meta.getLabels().get(INSTALLATION));
    }

    /** The labels that select every object of one installation. */
    public static Map<String, String> installationSelector(String installation) {
        return Map.of(MANAGED_BY, REPRISE, INSTALLATION, installation);
    }

    /** The sweep id an object belongs to, from its labels. */
    public static Optional<Long> sweepIdOf(ObjectMeta meta) {
        if (meta == null || meta.getLabels() == null || meta.getLabels().get(SWEEP_ID) == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(meta.getLabels().get(SWEEP_ID)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
