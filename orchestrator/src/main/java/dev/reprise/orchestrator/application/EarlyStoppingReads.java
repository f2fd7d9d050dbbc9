package dev.reprise.orchestrator.application;

import dev.reprise.orchestrator.domain.search.stopping.StoppingSavings;
import dev.reprise.orchestrator.domain.spec.EarlyTermination;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import dev.reprise.orchestrator.persistence.ObjectiveQueries;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.scheduling.StoredSpecs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/** What early stopping saved in a sweep ({@link StoppingSavings}), for the API and the dashboard's sweep page. */
@ApplicationScoped
public class EarlyStoppingReads {

    /** The sweep's rule and where its maximum came from, with the figures. */
    public record Report(long sweepId, String rule, String metric, String maxStepsFrom,
            StoppingSavings.Summary savings) {
    }

    private final SweepService sweeps;
    private final StoredSpecs specs;
    private final ObjectiveQueries objectives;

    public EarlyStoppingReads(SweepService sweeps, StoredSpecs specs, ObjectiveQueries objectives) {
        this.sweeps = sweeps;
        this.specs = specs;
        this.objectives = objectives;
    }

    @Transactional
    public Report of(long sweepId) {
        SweepEntity sweep = sweeps.get(sweepId);
        SweepSpec spec = specs.of(sweep);
        EarlyTermination rule = spec.earlyTerminate();
        String metric = spec.metric() == null ? null : spec.metric().name();
        if (rule == null || metric == null) {
            return new Report(sweepId, null, metric, null, StoppingSavings.of(null, List.of()));
        }
        Long maxSteps = null;
        String from = null;
        if (rule instanceof EarlyTermination.Hyperband h) {
            maxSteps = h.maxIter();
            from = "max_iter";
        } else {
            maxSteps = objectives.longestCompleted(sweepId, metric);
            from = maxSteps == null ? null : "longest completed run";
        }
        int gpus = spec.resources() == null ? 0 : spec.resources().totalGpus();
        List<StoppingSavings.Stopped> stopped = new ArrayList<>();
        for (Object[] r : objectives.stoppedEarly(sweepId, metric)) {
            stopped.add(new StoppingSavings.Stopped(((Number) r[0]).longValue(), ((Number) r[1]).intValue(),
                    r[2] == null ? null : ((Number) r[2]).longValue(), gpus,
                    r[3] == null ? null : ((Number) r[3]).doubleValue()));
        }
        return new Report(sweepId, rule.type(), metric, from, StoppingSavings.of(maxSteps, stopped));
    }
}
