package dev.reprise.orchestrator.application;

import dev.reprise.orchestrator.persistence.Runs;
import dev.reprise.orchestrator.persistence.CanonicalJson;
import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.domain.error.InvalidSweepException;
import dev.reprise.orchestrator.domain.error.ConflictException;
import dev.reprise.orchestrator.domain.error.AccessDeniedException;
import dev.reprise.orchestrator.domain.provenance.RunOrigin;
import dev.reprise.orchestrator.domain.run.SweepStatus;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.domain.search.TrialPlanner;
import dev.reprise.orchestrator.domain.spec.SpecLimits;
import dev.reprise.orchestrator.domain.spec.SpecResult;
import dev.reprise.orchestrator.domain.spec.SpecTree;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import dev.reprise.orchestrator.domain.spec.SweepSpecParser;
import dev.reprise.orchestrator.domain.spec.WarmStart;
import dev.reprise.orchestrator.domain.search.tpe.WarmStartTrials;
import dev.reprise.orchestrator.persistence.ProjectEntity;
import dev.reprise.orchestrator.persistence.ProjectSecrets;
import dev.reprise.orchestrator.persistence.ProjectRepository;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.SweepEntity;
import dev.reprise.orchestrator.persistence.SweepRepository;
import dev.reprise.orchestrator.domain.error.FieldError;
import dev.reprise.orchestrator.scheduling.AfterCommit;
import dev.reprise.orchestrator.scheduling.Executors;
import dev.reprise.orchestrator.scheduling.Queues;
import dev.reprise.orchestrator.scheduling.SchedulerSignal;
import dev.reprise.orchestrator.scheduling.StoredSpecs;
import dev.reprise.orchestrator.storage.snapshots.SnapshotResolver;
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
    private final StoredSpecs storedSpecs;
    private final SnapshotResolver snapshots;
    private final ProjectSecrets secrets;

    public SweepService(@ConfigProperty(name = "reprise.sweeps.max-trials", defaultValue = "10000") int maxTrials,
            @ConfigProperty(name = "reprise.sweeps.max-nodes", defaultValue = "64") int maxNodes,
            ProjectRepository projects, SweepRepository sweeps, RunRepository runs, Queues queues,
            SchedulerSignal signal, Executors executors, AfterCommit afterCommit, SnapshotResolver snapshots,
            StoredSpecs storedSpecs, ProjectSecrets secrets) {
        SecureRandom random = new SecureRandom();
        this.parser = new SweepSpecParser(new SpecLimits(maxTrials, SpecLimits.DEFAULTS.maxParameters(),
                SpecLimits.DEFAULTS.maxCategoricalValues(), maxNodes), () -> random.nextLong() >>> 1);
        this.projects = projects;
        this.sweeps = sweeps;
        this.runs = runs;
        this.queues = queues;
        this.signal = signal;
        this.executors = executors;
        this.afterCommit = afterCommit;
        this.snapshots = snapshots;
        this.storedSpecs = storedSpecs;
        this.secrets = secrets;
    }

    /** A stored sweep and how many runs it was expanded into. */
    public record Submitted(SweepEntity sweep, int runCount) {
    }

    /**
     * Where a submission comes from, besides its document.
     *
     * @param project    overrides the document's project (null: the document's)
     * @param git        the code version the client submitted from ({@code repo}, {@code commit}, {@code branch},
     *                   {@code dirty}), used when the document has no {@code git} of its own; null if unknown
     * @param clonedFrom the sweep this one is a changed copy of, or null
     * @param rerun      the run this single-trial sweep re-runs (its seed is pinned), or null
     */
    public record Origin(String project, Map<String, Object> git, Long clonedFrom, RunEntity rerun) {

        public static Origin of(String project, Map<String, Object> git) {
            return new Origin(project, git, null, null);
        }
    }

    /**
     * Validates the document tree, expands it into trials and stores the sweep with all its runs. Throws
     * {@link InvalidSweepException}, {@link AccessDeniedException} (the caller is no member of the document's
     * project) or {@link ConflictException} before anything is committed.
     */
    @Transactional
    public Submitted submit(Object document, String text, String format, String projectOverride, Caller caller) {
        return submit(document, text, format, Origin.of(projectOverride, null), caller);
    }

    /** As {@link #submit(Object, String, String, String, Caller)}, with where the submission comes from. */
    @Transactional
    public Submitted submit(Object document, String text, String format, Origin origin, Caller caller) {
        if (origin.git() != null && document instanceof Map<?, ?> doc && !doc.containsKey("git")) {
            // the client's working tree is the code version unless the document names one; it is recorded in the
            // normalised spec (never in the submitted text), so later runs of the sweep carry it too
            Map<Object, Object> withGit = new java.util.LinkedHashMap<>(doc);
            withGit.put("git", origin.git());
            document = withGit;
        }
        SpecResult result = parser.parse(document, origin.project());
        if (result instanceof SpecResult.Invalid invalid) {
            throw new InvalidSweepException(invalid.errors());
        }
        SweepSpec parsed = ((SpecResult.Valid) result).spec();
        if (!caller.has(Role.MEMBER, parsed.project())) {
            throw new AccessDeniedException("submitting needs the member role in project '" + parsed.project() + "'");
        }
        String user = caller.subject();
        checkQueue(parsed);
        checkSecrets(parsed);
        String snapshotId = parsed.data() == null ? null : snapshots.resolve(parsed.data().snapshot())
                .orElseThrow(() -> new InvalidSweepException(List.of(new FieldError("data.snapshot", "no snapshot '"
                        + parsed.data().snapshot() + "'; push one with: reprise data push DIR --name NAME"))));
        List<Map<String, Object>> trials = TrialPlanner.plan(parsed);

        ProjectEntity project = projects.findOrCreate(parsed.project());
        SweepSpec spec = parsed.warmStart() == null ? parsed
                : parsed.withWarmStart(WarmStart.ofId(warmStartSweep(parsed, project).id));
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
        sweep.specTextHash = CanonicalJson.sha256(text);
        sweep.clonedFrom = origin.clonedFrom();
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
        sweep.createdRole = caller.roleIn(parsed.project()).map(Role::wireName).orElse(null);
        sweep.dataSnapshotId = snapshotId;
        sweeps.persist(sweep);

        RunOrigin runOrigin = origin.rerun() == null ? executors.origin()
                : executors.origin().withRerun(origin.rerun().id, origin.rerun().seed);
        for (int i = 0; i < trials.size(); i++) {
            runs.persist(Runs.newRun(spec, sweep.id, i, trials.get(i), now, snapshotId, runOrigin));
        }
        afterCommit.run("waking the scheduler", signal::wake);
        return new Submitted(sweep, trials.size());
    }

    /**
     * The earlier sweep named by {@code warm_start}: it must exist (by id, or by name in the new sweep's project),
     * optimise the same metric, and share at least one parameter with the new space ({@link WarmStartTrials}).
     */
    private SweepEntity warmStartSweep(SweepSpec spec, ProjectEntity project) {
        WarmStart ref = spec.warmStart();
        SweepEntity earlier = ref.sweepId() != null ? sweeps.findById(ref.sweepId())
                : sweeps.findByProjectAndName(project.id, ref.sweepName()).orElse(null);
        if (earlier == null) {
            throw invalidWarmStart(ref.sweepId() != null ? "no sweep with id " + ref.sweepId()
                    : "no sweep named '" + ref.sweepName() + "' in project '" + spec.project() + "'");
        }
        if (earlier.metricName == null || !earlier.metricName.equals(spec.metric().name())) {
            throw invalidWarmStart("sweep " + earlier.id + " (" + earlier.name + ") "
                    + (earlier.metricName == null ? "has no metric" : "optimises '" + earlier.metricName + "'")
                    + ", not '" + spec.metric().name() + "': its results cannot seed this objective");
        }
        if (WarmStartTrials.shared(spec.parameters(), storedSpecs.of(earlier).parameters()).isEmpty()) {
            throw invalidWarmStart("shares no parameter with sweep " + earlier.id + " (" + earlier.name + "): a "
                    + "parameter is shared when both declare it with a common value or overlapping range");
        }
        return earlier;
    }

    private static InvalidSweepException invalidWarmStart(String message) {
        return new InvalidSweepException(List.of(new FieldError("warm_start", message)));
    }

    /**
     * The queue must exist, one trial (nodes × GPUs) must fit its GPU quota, and a distributed trial needs an executor
     * that can run one, or the sweep could never run.
     */
    private void checkQueue(SweepSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        int nodes = spec.resources().nodes();
        executors.active().filter(e -> nodes > e.maxNodes()).ifPresent(e -> errors.add(new FieldError(
                "resources.nodes", "the '" + executors.name() + "' executor runs trials on at most " + e.maxNodes()
                        + " node(s), not " + nodes)));
        queues.find(spec.queue()).ifPresentOrElse(q -> {
            if (q.gpuQuota() != null && spec.resources().totalGpus() > q.gpuQuota()) {
                String path = spec.resources().distributed() ? "resources.nodes" : "resources.gpu";
                String asks = spec.resources().distributed()
                        ? nodes + " nodes × " + spec.resources().gpuCount() + " = " + spec.resources().totalGpus()
                        : String.valueOf(spec.resources().gpuCount());
                errors.add(new FieldError(path, "a trial asks for " + asks + " GPUs but queue '" + q.name()
                        + "' allows at most " + q.gpuQuota()));
            }
        }, () -> errors.add(new FieldError("queue", "no queue named '" + spec.queue() + "'; known queues: "
                + String.join(", ", queues.policies().keySet()))));
        if (!errors.isEmpty()) {
            throw new InvalidSweepException(errors);
        }
    }

    /**
     * Where trials take their secrets from Reprise's own store (the local executor), each secret the sweep names must
     * be there now: a typo fails the submission, not every trial. On Kubernetes the Secrets are the cluster's, which
     * the orchestrator does not read: a missing one shows as the trial's pod failing to start.
     */
    private void checkSecrets(SweepSpec spec) {
        if (spec.secretEnv().isEmpty() || executors.active().filter(e -> e.usesLocalSecretStore()).isEmpty()) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        spec.secretEnv().forEach((name, ref) -> {
            if (!secrets.has(spec.project(), ref)) {
                errors.add(new FieldError("env." + name, "project '" + spec.project() + "' has no secret '"
                        + ref.secret() + "' with key '" + ref.key() + "'; set it with: reprise secret set "
                        + ref.secret() + " " + ref.key() + " -p " + spec.project()));
            }
        });
        if (!errors.isEmpty()) {
            throw new InvalidSweepException(errors);
        }
    }

    public SweepEntity get(long id) {
        return sweeps.findByIdOptional(id).orElseThrow(() -> new NotFoundException("sweep", id));
    }

    public RunEntity getRun(long id) {
        return runs.findByIdOptional(id).orElseThrow(() -> new NotFoundException("run", id));
    }
}
