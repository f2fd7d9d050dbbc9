package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.domain.scheduling.QueuePolicy;
import dev.reprise.orchestrator.domain.scheduling.QueueUsage;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.scheduling.Queues;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A queue: its limits and placement (configuration) with what it holds now. */
@Schema(name = "Queue")
public record QueueView(
        String name,
        @Schema(description = "Most trials running at once; null = unlimited") Integer maxRunning,
        @Schema(description = "Most GPUs in use at once; null = unlimited") Integer gpuQuota,
        @Schema(description = "Trials launching or running now, paused sweeps included") int running,
        @Schema(description = "GPUs those trials requested") int gpusInUse,
        @Schema(description = "Trials waiting to start") long queued,
        PlacementView placement,
        @Schema(description = "GPU-hours each project may use in this queue per quotaPeriod; null = unlimited")
        Double projectGpuHours,
        @Schema(description = "The calendar period (UTC) of projectGpuHours: day, week or month; null without it")
        String quotaPeriod) {

    /** Where the queue's trials run on Kubernetes. */
    @Schema(name = "QueuePlacement")
    public record PlacementView(Map<String, String> nodeSelector,
            @Schema(description = "As configured: key=value:Effect, key:Effect or key") List<String> tolerations,
            String priorityClassName, String serviceAccountName, String kueueQueueName) {

        static PlacementView of(TrialLaunch.Placement p) {
            return new PlacementView(p.nodeSelector(), p.tolerations().stream().map(PlacementView::text).toList(),
                    p.priorityClassName(), p.serviceAccountName(), p.kueueQueueName());
        }

        private static String text(TrialLaunch.Toleration t) {
            String key = t.key() == null ? "" : t.key();
            String value = "Equal".equals(t.operator()) && t.value() != null ? "=" + t.value() : "";
            return key + value + (t.effect() == null ? "" : ":" + t.effect());
        }
    }

    static QueueView of(QueuePolicy policy, QueueUsage usage, long queued, TrialLaunch.Placement placement,
            Queues.ProjectQuota quota) {
        QueueUsage u = usage == null ? QueueUsage.NONE : usage;
        return new QueueView(policy.name(), policy.maxRunning(), policy.gpuQuota(), u.running(), u.gpus(), queued,
                PlacementView.of(placement), quota == null ? null : quota.budget().gpuHours(),
                quota == null ? null : quota.period().wireName());
    }
}
