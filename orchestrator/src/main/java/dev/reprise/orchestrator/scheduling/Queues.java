package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.domain.scheduling.QueuePolicy;
import dev.reprise.orchestrator.execution.TrialLaunch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured queues: their limits for the scheduler and their placement for the executors. */
@ApplicationScoped
public class Queues {

    public static final String DEFAULT = "default";

    private final Map<String, QueuePolicy> policies = new LinkedHashMap<>();
    private final Map<String, TrialLaunch.Placement> placements = new LinkedHashMap<>();

    public Queues(SchedulerConfig config) {
        if (config.queues().isEmpty()) {
            policies.put(DEFAULT, QueuePolicy.unlimited(DEFAULT));
            placements.put(DEFAULT, TrialLaunch.Placement.NONE);
        }
        config.queues().forEach((name, q) -> {
            policies.put(name, new QueuePolicy(name, q.maxRunning().orElse(null), q.gpuQuota().orElse(null)));
            placements.put(name, new TrialLaunch.Placement(q.nodeSelector(), tolerations(q.tolerations()),
                    q.priorityClassName().orElse(null), q.serviceAccountName().orElse(null),
                    q.kueueQueueName().orElse(null)));
        });
    }

    public Map<String, QueuePolicy> policies() {
        return policies;
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
