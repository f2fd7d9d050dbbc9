package dev.reprise.orchestrator.application;

import dev.reprise.orchestrator.domain.usage.Accounting;
import dev.reprise.orchestrator.domain.usage.AttemptCharge;
import dev.reprise.orchestrator.domain.usage.Energy;
import dev.reprise.orchestrator.domain.usage.PowerSample;
import dev.reprise.orchestrator.domain.usage.UsageGroup;
import dev.reprise.orchestrator.domain.usage.UsageLedger;
import dev.reprise.orchestrator.domain.usage.UsageTotals;
import dev.reprise.orchestrator.persistence.ObjectiveQueries;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.UsageQueries;
import dev.reprise.orchestrator.persistence.UsageQueries.AttemptId;
import dev.reprise.orchestrator.persistence.UsageQueries.AttemptRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Accounting: charges every attempt the executor saw start (GPU-seconds, CPU-seconds requested, GPU energy) by the
 * rules of {@link Accounting} and {@link Energy}, and sums the charges by run, sweep, project, queue or user.
 */
@ApplicationScoped
public class UsageService {

    private final UsageQueries queries;
    private final ObjectiveQueries objectives;

    public UsageService(UsageQueries queries, ObjectiveQueries objectives) {
        this.queries = queries;
        this.objectives = objectives;
    }

    /** A usage report: the sums of every line together, then one line per group. */
    public record Report(Instant from, Instant to, UsageGroup groupBy, UsageTotals total, UsageTotals preempted,
            UsageTotals failed, List<UsageLedger.Line> lines) {
    }

    /** Usage of the attempts in {@code [from, to)}, of the visible projects (null: all), summed by {@code groupBy}. */
    @Transactional
    public Report report(Collection<String> visibleProjects, String project, Instant from, Instant to,
            UsageGroup groupBy) {
        Instant now = Instant.now();
        List<AttemptCharge> charges = charges(queries.attempts(project, null, from, to), from, to, now).stream()
                .filter(c -> visibleProjects == null || visibleProjects.contains(c.keys().get(UsageGroup.PROJECT)))
                .toList();
        List<UsageLedger.Line> all = UsageLedger.sum(charges, groupBy);
        return new Report(from, to, groupBy, UsageLedger.total(charges),
                all.stream().map(UsageLedger.Line::preempted).reduce(UsageTotals.ZERO, UsageTotals::plus),
                all.stream().map(UsageLedger.Line::failed).reduce(UsageTotals.ZERO, UsageTotals::plus), all);
    }

    /** One point of the sweep's cost curve: after this run ended, this many GPU-hours had gone into the sweep. */
    public record CostPoint(long runId, int index, Instant endedAt, double cumulativeGpuHours, Double objective,
            Double bestSoFar) {
    }

    /** A sweep's usage: totals, per run, and its objective against the cumulative GPU-hours spent. */
    public record SweepUsage(UsageTotals total, UsageTotals preempted, UsageTotals failed,
            List<UsageLedger.Line> runs, List<CostPoint> objectiveByGpuHours) {
    }

    @Transactional
    public SweepUsage sweep(SweepEntity sweep) {
        Instant now = Instant.now();
        List<AttemptRow> attempts = queries.attempts(null, sweep.id, null, null);
        List<AttemptCharge> charges = charges(attempts, null, null, now);
        List<UsageLedger.Line> runs = UsageLedger.sum(charges, UsageGroup.RUN);
        UsageTotals preempted = runs.stream().map(UsageLedger.Line::preempted)
                .reduce(UsageTotals.ZERO, UsageTotals::plus);
        UsageTotals failed = runs.stream().map(UsageLedger.Line::failed).reduce(UsageTotals.ZERO, UsageTotals::plus);
        return new SweepUsage(UsageLedger.total(charges), preempted, failed, runs, costCurve(sweep, attempts, now));
    }

    /**
     * Runs in the order they ended (their last attempt), each with the GPU-hours every attempt of the sweep had used
     * by then (attempts still running counted up to that moment) and its objective value.
     */
    private List<CostPoint> costCurve(SweepEntity sweep, List<AttemptRow> attempts, Instant now) {
        Map<Long, Double> values = sweep.metricName == null ? Map.of()
                : objectives.bestValues(sweep.id, sweep.metricName, "maximize".equals(sweep.metricGoal));
        Map<Long, AttemptRow> lastAttempt = attempts.stream().collect(Collectors.toMap(AttemptRow::runId, a -> a,
                (a, b) -> a.attempt() >= b.attempt() ? a : b));
        List<AttemptRow> ended = lastAttempt.values().stream()
                .filter(a -> a.finishedAt() != null && Accounting.Outcome.of(a.state()) != Accounting.Outcome.PREEMPTED)
                .sorted(Comparator.comparing(AttemptRow::finishedAt).thenComparingLong(AttemptRow::runId))
                .toList();
        boolean maximize = "maximize".equals(sweep.metricGoal);
        List<CostPoint> out = new ArrayList<>();
        Double best = null;
        for (AttemptRow a : ended) {
            double spent = attempts.stream().mapToDouble(x -> gpuSeconds(x, null, a.finishedAt(), now)).sum();
            Double v = values.get(a.runId());
            if (v != null && (best == null || (maximize ? v > best : v < best))) {
                best = v;
            }
            out.add(new CostPoint(a.runId(), a.runIndex(), a.finishedAt(), spent / 3600.0, v, best));
        }
        return out;
    }

    private List<AttemptCharge> charges(List<AttemptRow> attempts, Instant from, Instant to, Instant now) {
        Set<Long> runIds = attempts.stream().map(AttemptRow::runId).collect(Collectors.toSet());
        Map<AttemptId, Map<String, List<PowerSample>>> power = queries.powerSamples(runIds, from, to);
        List<AttemptCharge> out = new ArrayList<>(attempts.size());
        for (AttemptRow a : attempts) {
            double wall = Accounting.wallSeconds(a.startedAt(), a.finishedAt(), now, from, to);
            double energy = Energy.wattHours(power.getOrDefault(new AttemptId(a.runId(), a.attempt()), Map.of())
                    .values());
            Map<UsageGroup, String> keys = new EnumMap<>(UsageGroup.class);
            keys.put(UsageGroup.RUN, String.valueOf(a.runId()));
            keys.put(UsageGroup.SWEEP, String.valueOf(a.sweepId()));
            keys.put(UsageGroup.PROJECT, a.project());
            keys.put(UsageGroup.QUEUE, a.queue());
            keys.put(UsageGroup.USER, a.user());
            out.add(new AttemptCharge(keys, Accounting.Outcome.of(a.state()), new UsageTotals(1,
                    Accounting.gpuSeconds(a.nodes(), a.gpusPerNode(), wall),
                    Accounting.cpuSeconds(a.nodes(), a.cpuPerNode(), wall), energy)));
        }
        return out;
    }

    private static double gpuSeconds(AttemptRow a, Instant from, Instant to, Instant now) {
        return Accounting.gpuSeconds(a.nodes(), a.gpusPerNode(),
                Accounting.wallSeconds(a.startedAt(), a.finishedAt(), now, from, to));
    }
}
