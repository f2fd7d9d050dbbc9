package dev.reprise.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.reprise.orchestrator.application.UsageService;
import dev.reprise.orchestrator.domain.usage.UsageLedger;
import dev.reprise.orchestrator.domain.usage.UsageTotals;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Usage reports as the API shows them. */
public final class UsageView {

    private UsageView() {
    }

    @Schema(name = "UsageTotals", description = "Sums over attempts. GPU-seconds: nodes x GPUs x the wall time the "
            + "executor observed (start to end, or to now while running); CPU-seconds: the CPU requested x that "
            + "wall time; energy: GPU board power samples of the agent integrated over time")
    public record Totals(long attempts, double gpuSeconds, double gpuHours, double cpuSeconds, double energyWh) {

        static Totals of(UsageTotals t) {
            return new Totals(t.attempts(), t.gpuSeconds(), t.gpuHours(), t.cpuSeconds(), t.energyWh());
        }
    }

    @Schema(name = "UsageLine", description = "One group's usage; preempted and failed are the parts of total "
            + "that went to preempted and to failed (or lost) attempts")
    public record Line(String key, Totals total, Totals preempted, Totals failed) {

        static Line of(UsageLedger.Line l) {
            return new Line(l.key(), Totals.of(l.total()), Totals.of(l.preempted()), Totals.of(l.failed()));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "UsageReport")
    public record Report(Instant from, Instant to, String project,
            @Schema(enumeration = {"run", "sweep", "project", "queue", "user"}) String groupBy, Totals total,
            Totals preempted, Totals failed, List<Line> items) {

        static Report of(UsageService.Report r, String project) {
            return new Report(r.from(), r.to(), project, r.groupBy().wireName(), Totals.of(r.total()),
                    Totals.of(r.preempted()), Totals.of(r.failed()), r.lines().stream().map(Line::of).toList());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "UsageCostPoint", description = "A run that ended, with the GPU-hours the whole sweep had used "
            + "by then, its objective value and the best value so far")
    public record CostPoint(long runId, int index, Instant endedAt, double cumulativeGpuHours, Double objective,
            Double bestSoFar) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SweepUsage")
    public record Sweep(long sweepId, Double budgetGpuHours, Totals total, Totals preempted, Totals failed,
            @Schema(description = "Per run (key = run id), largest first") List<Line> runs,
            @Schema(description = "Objective against cumulative GPU-hours, in the order runs ended")
            List<CostPoint> objectiveByGpuHours) {

        static Sweep of(long sweepId, Double budget, UsageService.SweepUsage u) {
            return new Sweep(sweepId, budget, Totals.of(u.total()), Totals.of(u.preempted()), Totals.of(u.failed()),
                    u.runs().stream().map(Line::of).toList(), u.objectiveByGpuHours().stream()
                    .map(p -> new CostPoint(p.runId(), p.index(), p.endedAt(), p.cumulativeGpuHours(), p.objective(),
                            p.bestSoFar())).toList());
        }
    }
}
