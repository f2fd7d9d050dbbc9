package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.domain.scheduling.QueuePolicy;
import dev.reprise.orchestrator.domain.usage.GpuBudget;
import dev.reprise.orchestrator.domain.usage.QuotaPeriod;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.kubernetes.KubernetesNames;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured queues: their limits for the scheduler and their placement for the executors. Built at start-up
 * ({@link Startup}) so that a placement Kubernetes would refuse stops the orchestrator with a message naming the
 * setting.
 */
@Startup
@ApplicationScoped
public class Queues {

    public static final String DEFAULT = "default";

    private final Map<String, QueuePolicy> policies = new LinkedHashMap<>();
    private final Map<String, TrialLaunch.Placement> placements = new LinkedHashMap<>();
    private final Map<String, ProjectQuota> projectQuotas = new LinkedHashMap<>();

    /** GPU-hours each project may use in a queue per calendar period. */
    public record ProjectQuota(GpuBudget budget, QuotaPeriod period) {
    }

    public Queues(SchedulerConfig config) {
        if (config.queues().isEmpty()) {
            policies.put(DEFAULT, QueuePolicy.unlimited(DEFAULT));
            placements.put(DEFAULT, TrialLaunch.Placement.NONE);
        }
        List<String> errors = new ArrayList<>();
        config.queues().forEach((name, q) -> {
            policies.put(name, new QueuePolicy(name, q.maxRunning().orElse(null), q.gpuQuota().orElse(null)));
            TrialLaunch.Placement placement = new TrialLaunch.Placement(q.nodeSelector(), tolerations(q.tolerations()),
                    q.priorityClassName().orElse(null), q.serviceAccountName().orElse(null),
                    q.kueueQueueName().orElse(null));
            errors.addAll(placementErrors(name, placement));
            Optional<QuotaPeriod> period = QuotaPeriod.fromWireName(q.quotaPeriod());
            if (period.isEmpty()) {
                errors.add("reprise.scheduler.queues." + name + ".quota-period: must be day, week or month, not '"
                        + q.quotaPeriod() + "'");
            }
            q.projectGpuHours().ifPresent(h -> {
                if (!(h > 0) || !Double.isFinite(h)) {
                    errors.add("reprise.scheduler.queues." + name + ".project-gpu-hours: must be greater than 0");
                } else if (period.isPresent()) {
                    projectQuotas.put(name, new ProjectQuota(new GpuBudget(h), period.get()));
                }
            });
            placements.put(name, placement);
        });
        if (!errors.isEmpty()) {
            // a queue whose trials the cluster would refuse (422 at every launch) is a configuration error: say so
            // at start-up, naming the setting, rather than failing trials one by one
            throw new IllegalArgumentException("invalid queue configuration:\n  " + String.join("\n  ", errors));
        }
    }

    /** What Kubernetes would refuse in a queue's placement, each as "setting: problem"; empty when valid. */
    static List<String> placementErrors(String queue, TrialLaunch.Placement p) {
        String prefix = "reprise.scheduler.queues." + queue + ".";
        List<String> errors = new ArrayList<>();
        KubernetesNames.nodeSelectorErrors(p.nodeSelector()).forEach(e -> errors.add(prefix + "node-selector: " + e));
        for (int i = 0; i < p.tolerations().size(); i++) {
            int index = i;
            KubernetesNames.tolerationError(p.tolerations().get(i))
                    .ifPresent(e -> errors.add(prefix + "tolerations[" + index + "]: " + e));
        }
        if (p.priorityClassName() != null) {
            KubernetesNames.dns1123SubdomainError(p.priorityClassName())
                    .ifPresent(e -> errors.add(prefix + "priority-class-name: " + e));
        }
        if (p.serviceAccountName() != null) {
            KubernetesNames.dns1123SubdomainError(p.serviceAccountName())
                    .ifPresent(e -> errors.add(prefix + "service-account-name: " + e));
        }
        if (p.kueueQueueName() != null) {
            KubernetesNames.labelValueError(p.kueueQueueName())
                    .ifPresent(e -> errors.add(prefix + "kueue-queue-name: " + e));
        }
        return errors;
    }

    public Map<String, QueuePolicy> policies() {
        return policies;
    }

    /** The queue's per-project GPU-hour quota, if it has one. */
    public Optional<ProjectQuota> projectQuota(String queue) {
        return Optional.ofNullable(projectQuotas.get(queue));
    }

    public Optional<QueuePolicy> find(String name) {
        return Optional.ofNullable(policies.get(name));
    }

    public TrialLaunch.Placement placement(String queue) {
        return placements.getOrDefault(queue, TrialLaunch.Placement.NONE);
    }

    /** Parses {@code key=value:Effect}, {@code key:Effect} (Exists) and {@code key} (Exists, any effect). */
    static List<TrialLaunch.Toleration> tolerations(Optional<List<String>> specs) {
        List<TrialLaunch.Toleration> out = new ArrayList<>();
        for (String spec : specs.orElse(List.of())) {
            String effect = null;
            String rest = spec;
            int colon = spec.lastIndexOf(':');
            if (colon >= 0) {
                effect = spec.substring(colon + 1);
                rest = spec.substring(0, colon);
            }
            int eq = rest.indexOf('=');
            if (eq >= 0) {
                out.add(new TrialLaunch.Toleration(rest.substring(0, eq), "Equal", rest.substring(eq + 1), effect));
            } else {
                out.add(new TrialLaunch.Toleration(rest, "Exists", null, effect));
            }
        }
        return out;
    }
}
