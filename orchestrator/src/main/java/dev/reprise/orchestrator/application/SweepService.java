package dev.reprise.orchestrator.application;

import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.run.SweepStatus;
import dev.reprise.orchestrator.domain.search.TrialConfig;
import dev.reprise.orchestrator.domain.search.TrialPlanner;
import dev.reprise.orchestrator.domain.spec.SpecLimits;
import dev.reprise.orchestrator.domain.spec.SpecResult;
import dev.reprise.orchestrator.domain.spec.SpecTree;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import dev.reprise.orchestrator.domain.spec.SweepSpecParser;
import dev.reprise.orchestrator.persistence.ProjectEntity;
import dev.reprise.orchestrator.persistence.ProjectRepository;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.SweepRepository;
import dev.reprise.orchestrator.domain.spec.FieldError;
import dev.reprise.orchestrator.scheduling.AfterCommit;
import dev.reprise.orchestrator.scheduling.Executors;
import dev.reprise.orchestrator.scheduling.Queues;
import dev.reprise.orchestrator.scheduling.SchedulerSignal;
import java.util.ArrayList;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Submission and control of sweeps: validate, expand and store in one transaction, or store nothing. */
@ApplicationScoped
public class SweepService {

    private final SweepSpecParser parser;
    private final ProjectRepository projects;
    private final SweepRepository sweeps;
    private final RunRepository runs;
    private final Queues queues;
    private final SchedulerSignal signal;
    private final Executors executors;
    private final AfterCommit afterCommit;

    public SweepService(@ConfigProperty(name = "reprise.sweeps.max-trials", defaultValue = "10000") int maxTrials,
            ProjectRepository projects, SweepRepository sweeps, RunRepository runs, Queues queues,
            SchedulerSignal signal, Executors executors, AfterCommit afterCommit) {
        SecureRandom random = new SecureRandom();
        this.parser = new SweepSpecParser(new SpecLimits(maxTrials, SpecLimits.DEFAULTS.maxParameters(),
                SpecLimits.DEFAULTS.maxCategoricalValues()), () -> random.nextLong() >>> 1);
        this.projects = projects;
        this.sweeps = sweeps;
        this.runs = runs;
        this.queues = queues;
        this.signal = signal;
        this.executors = executors;
        this.afterCommit = afterCommit;
    }

    /** A stored sweep and how many runs it was expanded into. */
    public record Submitted(SweepEntity sweep, int runCount) {
    }

    /**
     * Validates the document tree, expands it into trials and stores the sweep with all its runs. Throws
     * {@link InvalidSweepException} or {@link ConflictException} before anything is committed.
     */
    @Transactional
    public Submitted submit(Object document, String text, String format, String projectOverride, String user) {
        SpecResult result = parser.parse(document, projectOverride);
        if (result instanceof SpecResult.Invalid invalid) {
            throw new InvalidSweepException(invalid.errors());
        }
        SweepSpec spec = ((SpecResult.Valid) result).spec();
        checkQueue(spec);
        List<Map<String, Object>> trials = TrialPlanner.plan(spec);

        ProjectEntity project = projects.findOrCreate(spec.project());
        if (sweeps.findByProjectAndName(project.id, spec.name()).isPresent()) {
            throw new ConflictException("a sweep named '" + spec.name() + "' already exists in project '"
                    + spec.project() + "'; choose another name", "name");
        }
        Instant now = Instant.now();
        String specJson = CanonicalJson.write(SpecTree.toTree(spec));
        SweepEntity sweep = new SweepEntity();
        sweep.project = project;
        sweep.name = spec.name();
        sweep.status = SweepStatus.QUEUED;
        sweep.method = spec.method().wireName();
        sweep.specText = text;
        sweep.specFormat = format;
        sweep.spec = specJson;
        sweep.specHash = CanonicalJson.sha256(specJson);
        sweep.metricName = spec.metric() == null ? null : spec.metric().name();
        sweep.metricGoal = spec.metric() == null ? null : spec.metric().goal().wireName();
        sweep.maxTrials = spec.maxTrials();
        sweep.parallelism = spec.parallelism();
        sweep.maxFailedTrials = spec.maxFailedTrials();
        sweep.seed = spec.seed();
        sweep.queue = spec.queue();
        sweep.priority = spec.priority();
        sweep.createdAt = now;
        sweep.updatedAt = now;
        sweep.createdBy = user;
        sweeps.persist(sweep);

        for (int i = 0; i < trials.size(); i++) {
            runs.persist(newRun(spec, sweep.id, i, trials.get(i), now));
        }
        afterCommit.run("waking the scheduler", signal::wake);
        return new Submitted(sweep, trials.size());
    }

    /** The queue must exist, and one trial must fit its GPU quota, or the sweep could never run. */
    private void checkQueue(SweepSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        queues.find(spec.queue()).ifPresentOrElse(q -> {
            if (q.gpuQuota() != null && spec.resources().gpuCount() > q.gpuQuota()) {
                errors.add(new FieldError("resources.gpu", "a trial asks for " + spec.resources().gpuCount()
                        + " GPUs but queue '" + q.name() + "' allows at most " + q.gpuQuota()));
            }
        }, () -> errors.add(new FieldError("queue", "no queue named '" + spec.queue() + "'; known queues: "
                + String.join(", ", queues.policies().keySet()))));
        if (!errors.isEmpty()) {
            throw new InvalidSweepException(errors);
        }
    }

    private static RunEntity newRun(SweepSpec spec, long sweepId, int index, Map<String, Object> params,
            Instant now) {
        RunEntity run = new RunEntity();
        run.sweepId = sweepId;
        run.index = index;
        run.parameters = CanonicalJson.write(params);
        run.state = RunState.QUEUED;
        run.attempt = 0;
        run.createdAt = now;
        run.imageRef = spec.image();
        run.configHash = CanonicalJson.sha256(CanonicalJson.canonical(TrialConfig.tree(spec, index, params)));
        run.seed = TrialConfig.trialSeed(spec.seed(), index);
        if (spec.data() != null) {
            run.dataSnapshotId = spec.data().snapshot();
        }
        if (spec.git() != null) {
            run.gitRepo = spec.git().repo();
            run.gitCommit = spec.git().commit();
            run.gitDirty = spec.git().dirty();
        }
        return run;
    }

    public SweepEntity get(long id) {
        return sweeps.findByIdOptional(id).orElseThrow(() -> new NotFoundException("sweep", id));
    }

    public RunEntity getRun(long id) {
        return runs.findByIdOptional(id).orElseThrow(() -> new NotFoundException("run", id));
    }

    /** Cancels a sweep that has not finished: no new trials, every active run CANCELLED. */
    @Transactional
    public SweepEntity cancel(long id) {
        SweepEntity sweep = sweeps.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (sweep == null) {
            throw new NotFoundException("sweep", id);
        }
        if (sweep.status.terminal()) {
            throw new ConflictException("sweep " + id + " already ended (" + sweep.status + ")", "status");
        }
        Instant now = Instant.now();
        runs.cancelActive(id, now);
        afterCommit.run("stopping the trials of cancelled sweep " + id,
                () -> executors.active().ifPresent(e -> e.stopSweep(id)));
        sweep.status = SweepStatus.CANCELLED;
        sweep.updatedAt = now;
        sweep.finishedAt = now;
        org.hibernate.Hibernate.initialize(sweep.project);
        return sweep;
    }
}
