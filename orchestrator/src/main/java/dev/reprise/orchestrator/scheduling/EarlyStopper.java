package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.search.stopping.Curve;
import dev.reprise.orchestrator.domain.search.stopping.StoppingRule;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import dev.reprise.orchestrator.persistence.ObjectiveQueries;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.SweepRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Applies each running sweep's {@code early_terminate} rule to its running trials whenever their objective has new
 * steps: a trial the rule stops ends STOPPED_EARLY and its process or Job is stopped. Rules are stateless, so the
 * decisions are the same after a restart.
 */
@ApplicationScoped
public class EarlyStopper {

    private static final Logger LOG = Logger.getLogger(EarlyStopper.class);

    private final SweepRepository sweeps;
    private final RunRepository runs;
    private final ObjectiveQueries objectives;
    private final StoredSpecs specs;
    private final RunLifecycle lifecycle;
    private final Executors executors;
    private final Map<Long, Long> evaluatedStep = new ConcurrentHashMap<>();

    public EarlyStopper(SweepRepository sweeps, RunRepository runs, ObjectiveQueries objectives, StoredSpecs specs,
            RunLifecycle lifecycle, Executors executors) {
        this.sweeps = sweeps;
        this.runs = runs;
        this.objectives = objectives;
        this.specs = specs;
        this.lifecycle = lifecycle;
        this.executors = executors;
    }

    /** One pass over the running sweeps that have early termination; returns how many trials it stopped. */
    public int check() {
        int stopped = 0;
        for (Decision d : decide()) {
            if (lifecycle.stopEarly(d.runId(), d.attempt(), d.reason())) {
                LOG.infof("run %s stopped early: %s", d.runId(), d.reason());
                executors.active().ifPresent(e -> e.stop(d.runId(), d.attempt()));
                stopped++;
            }
        }
        return stopped;
    }

    record Decision(long runId, int attempt, String reason) {
    }

    @Transactional
    List<Decision> decide() {
        List<Decision> out = new ArrayList<>();
        for (SweepEntity sweep : sweeps.runningWithMetric()) {
            SweepSpec spec = specs.of(sweep);
            if (spec.earlyTerminate() == null) {
                continue;
            }
            List<RunEntity> sweepRuns = runs.ofSweep(sweep.id);
            Map<Long, Long> lastSteps = objectives.lastSteps(sweep.id, spec.metric().name());
            boolean news = sweepRuns.stream().anyMatch(r -> r.state == RunState.RUNNING
                    && lastSteps.getOrDefault(r.id, -1L) > evaluatedStep.getOrDefault(r.id, -1L));
            if (!news) {
                continue;
            }
            StoppingRule rule = StoppingRule.of(spec.earlyTerminate(), spec.metric().goal());
            Map<Long, TreeMap<Long, Double>> curves = objectives.curves(sweep.id, spec.metric().name());
            List<Curve> all = new ArrayList<>();
            for (RunEntity r : sweepRuns) {
                all.add(new Curve(r.index, curves.getOrDefault(r.id, new TreeMap<>()),
                        r.state == RunState.SUCCEEDED));
            }
            for (int i = 0; i < sweepRuns.size(); i++) {
                RunEntity r = sweepRuns.get(i);
                long step = lastSteps.getOrDefault(r.id, -1L);
                if (r.state != RunState.RUNNING || step <= evaluatedStep.getOrDefault(r.id, -1L)) {
                    continue;
                }
                evaluatedStep.put(r.id, step);
                List<Curve> others = new ArrayList<>(all);
                Curve mine = others.remove(i);
                StoppingRule.Decision decision = rule.decide(mine, others);
                if (decision.stop()) {
                    out.add(new Decision(r.id, r.attempt, decision.reason()));
                }
            }
        }
        return out;
    }
}
