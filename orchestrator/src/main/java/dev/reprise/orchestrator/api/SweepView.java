package dev.reprise.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.reprise.orchestrator.domain.provenance.SpecRedaction;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.run.SweepTransitions;
import dev.reprise.orchestrator.persistence.SweepEntity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A sweep as the API shows it. {@code spec} and {@code specText} are only filled on the single-sweep view. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Sweep")
public record SweepView(
        long id,
        String name,
        String project,
        String status,
        @Schema(description = "A paused sweep starts no new trials") boolean paused,
        @Schema(description = "What may be done to the sweep now, by endpoint name: pause or resume (while it has "
                + "not ended), extend (unless it was cancelled), cancel (while it has not ended)")
        List<String> actions,
        String method,
        MetricView metric,
        int maxTrials,
        int parallelism,
        Integer maxFailedTrials,
        long seed,
        String queue,
        int priority,
        @Schema(description = "SHA-256 of the normalised spec") String specHash,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        Instant finishedAt,
        @Schema(description = "Why the sweep ended when its runs alone do not say, e.g. \"GPU-hour budget reached: "
                + "2.0013 of 2 GPU-hours used\"; absent otherwise")
        String endReason,
        @Schema(description = "total, plus the number of runs in each state present")
        Map<String, Long> runCounts,
        @Schema(description = "Single-sweep view: the run with the best objective value so far (its last reported "
                + "value); absent when the sweep has no objective or no run reported it yet")
        SweepTableView.BestRunView best,
        @Schema(description = "The normalised spec: defaults applied, seed fixed; secret env values read "
                + "\"[redacted]\"")
        Object spec,
        @Schema(description = "The document as submitted, with the values of secret env variables (and every "
                + "other occurrence of them) replaced by \"[redacted]\"") String specText) {

    @Schema(name = "Metric")
    public record MetricView(String name, String goal) {
    }

    static SweepView summary(SweepEntity s, Map<RunState, Long> counts) {
        return of(s, counts, null, false);
    }

    static SweepView detail(SweepEntity s, Map<RunState, Long> counts, SweepTableView.BestRunView best) {
        return of(s, counts, best, true);
    }

    private static SweepView of(SweepEntity s, Map<RunState, Long> counts, SweepTableView.BestRunView best,
            boolean detail) {
        Map<String, Long> runCounts = new LinkedHashMap<>();
        long total = 0;
        for (RunState state : RunState.values()) {
            Long n = counts == null ? null : counts.get(state);
            if (n != null && n > 0) {
                runCounts.put(state.name(), n);
                total += n;
            }
        }
        Object spec = detail ? JsonTrees.parse(s.spec) : null;
        Map<String, Long> withTotal = new LinkedHashMap<>();
        withTotal.put("total", total);
        withTotal.putAll(runCounts);
        return new SweepView(s.id, s.name, s.project.name, s.status.name(), s.paused,
                SweepTransitions.actionsOf(s.status, s.paused, counts), s.method,
                s.metricName == null ? null : new MetricView(s.metricName, s.metricGoal), s.maxTrials,
                s.parallelism, s.maxFailedTrials, s.seed, s.queue, s.priority, s.specHash, s.createdAt,
                s.createdBy, s.updatedAt, s.finishedAt, s.endReason, withTotal, best,
                detail ? SpecRedaction.tree(spec) : null,
                detail ? SpecRedaction.text(s.specText, SpecRedaction.secrets(spec)) : null);
    }
}
