package dev.reprise.orchestrator.domain.scheduling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which ready runs to launch now. Pure and deterministic: the same snapshot gives the same plan.
 *
 * <p>Within each queue, one trial at a time is granted to the best candidate sweep: higher sweep priority first;
 * among equal priorities, the project with the fewest active trials in that queue (fair share); then the oldest
 * sweep (FIFO). A grant needs a free slot in the sweep ({@code parallelism}), a free slot in the queue
 * ({@code maxRunning}) and room in the queue's GPU quota; a sweep whose next trial does not fit the GPU quota is
 * passed over so smaller trials can still use the room.
 */
public final class SchedulingPolicy {

    private SchedulingPolicy() {
    }

    /** Run ids to launch, in launch order. Demands for unknown queues are ignored (refused at submission). */
    public static List<Long> plan(Map<String, QueuePolicy> queues, Map<String, QueueUsage> usage,
            List<SweepDemand> demands) {
        List<Long> plan = new ArrayList<>();
        Map<String, List<SweepDemand>> byQueue = new HashMap<>();
        for (SweepDemand d : demands) {
            if (queues.containsKey(d.queue())) {
                byQueue.computeIfAbsent(d.queue(), q -> new ArrayList<>()).add(d);
            }
        }
        byQueue.keySet().stream().sorted().forEach(queue ->
                plan.addAll(planQueue(queues.get(queue), usage.getOrDefault(queue, QueueUsage.NONE),
                        byQueue.get(queue))));
        return plan;
    }

    private static List<Long> planQueue(QueuePolicy policy, QueueUsage usage, List<SweepDemand> demands) {
        List<Candidate> candidates = demands.stream().map(Candidate::new).toList();
        Map<String, Integer> activeByProject = new HashMap<>();
        for (SweepDemand d : demands) {
            activeByProject.merge(d.project(), d.active(), Integer::sum);
        }
        int running = usage.running();
        int gpus = usage.gpus();
        List<Long> granted = new ArrayList<>();
        Comparator<Candidate> order = Comparator
                .comparingInt((Candidate c) -> -c.demand.priority())
                .thenComparingInt(c -> activeByProject.getOrDefault(c.demand.project(), 0))
                .thenComparing(c -> c.demand.createdAt())
                .thenComparingLong(c -> c.demand.sweepId());
        while (policy.maxRunning() == null || running < policy.maxRunning()) {
            final int gpusInUse = gpus;
            Candidate best = candidates.stream()
                    .filter(Candidate::wantsMore)
                    .filter(c -> policy.gpuQuota() == null
                            || gpusInUse + c.demand.gpusPerTrial() <= policy.gpuQuota())
                    .min(order)
                    .orElse(null);
            if (best == null) {
                break;
            }
            granted.add(best.grant());
            running++;
            gpus += best.demand.gpusPerTrial();
            activeByProject.merge(best.demand.project(), 1, Integer::sum);
        }
        return granted;
    }

    private static final class Candidate {
        private final SweepDemand demand;
        private int next;
        private int active;

        Candidate(SweepDemand demand) {
            this.demand = demand;
            this.active = demand.active();
        }

        boolean wantsMore() {
            return next < demand.ready().size() && active < demand.parallelism();
        }

        long grant() {
            active++;
            return demand.ready().get(next++);
        }
    }
}
