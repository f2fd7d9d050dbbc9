package dev.reprise.orchestrator.application.mlflow;

import dev.reprise.api.messages.MetricPoint;
import dev.reprise.orchestrator.domain.mlflow.MlflowLimits;
import dev.reprise.orchestrator.domain.mlflow.MlflowStatus;
import dev.reprise.orchestrator.domain.mlflow.OrderBy;
import dev.reprise.orchestrator.domain.mlflow.SearchFilter;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.persistence.IngestBatch;
import dev.reprise.orchestrator.persistence.IngestStore;
import dev.reprise.orchestrator.persistence.mlflow.MlflowStore;
import dev.reprise.orchestrator.persistence.mlflow.MlflowStore.ExperimentRow;
import dev.reprise.orchestrator.persistence.mlflow.MlflowStore.RunRow;
import dev.reprise.orchestrator.persistence.mlflow.TrackingRecords;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The use cases of the MLflow-compatible API (docs/adr/0007-mlflow-mapping.md): experiments are sweeps, runs are
 * runs, metric points take the agent's exactly-once path ({@link IngestStore}). Every call checks the caller's role
 * in the project of what it addresses; a run token reads and writes only its own run.
 */
@ApplicationScoped
public class MlflowTracking {

    private static final Logger LOG = Logger.getLogger(MlflowTracking.class);

    /** The characters MLflow allows in metric, param and tag names. */
    private static final java.util.regex.Pattern KEY_CHARACTERS = java.util.regex.Pattern.compile("[\\w\\-. /:]+");

    /** A metric value to log. */
    public record Metric(String key, double value, long timestampMillis, long step) {
    }

    /** A run with its data. */
    public record FullRun(RunRow info, MlflowStore.RunData data) {
    }

    /** One page and the token of the next (null at the end). */
    public record Page<T>(List<T> items, String nextPageToken) {
    }

    private final MlflowStore store;
    private final TrackingRecords records;
    private final IngestStore ingest;
    private final MlflowConfig config;
    private final PointCommits commits;

    public MlflowTracking(MlflowStore store, TrackingRecords records, IngestStore ingest, MlflowConfig config,
            PointCommits commits) {
        this.store = store;
        this.records = records;
        this.ingest = ingest;
        this.config = config;
        this.commits = commits;
    }

    // ---- experiments

    public long createExperiment(Caller caller, String name, Map<String, String> tags) {
        if (name == null || name.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'name'.");
        }
        if (name.length() > MlflowLimits.MAX_EXPERIMENT_NAME_LENGTH) {
            throw MlflowException.invalid("Experiment name exceeds the maximum length of "
                    + MlflowLimits.MAX_EXPERIMENT_NAME_LENGTH + " characters");
        }
        Map<String, String> rest = new LinkedHashMap<>(tags);
        String project = Optional.ofNullable(rest.remove("reprise.project")).orElse(config.defaultProject());
        rest.forEach((k, v) -> checkTag(k, v, MlflowLimits.MAX_EXPERIMENT_TAG_VAL_LENGTH));
        require(caller, Role.MEMBER, project);
        return records.createExperiment(project, name, caller.subject(), rest).orElseThrow(() ->
                MlflowException.exists("Experiment '" + name + "' already exists."));
    }

    public ExperimentRow experiment(Caller caller, String id) {
        ExperimentRow e = sql(() -> store.experiment(experimentId(caller, id))).orElseThrow(() ->
                MlflowException.notFound("No Experiment with id=" + id + " exists"));
        if (caller.kind() == Caller.Kind.RUN) {
            if (!ownExperiment(caller, e.id())) {
                throw MlflowException.denied("a run token may only read its own run and experiment");
            }
            return e;
        }
        require(caller, Role.VIEWER, e.project());
        return e;
    }

    /** Experiment id "0" is MLflow's Default experiment: the one named reprise.mlflow.default-experiment-name. */
    private long experimentId(Caller caller, String id) {
        if ("0".equals(id)) {
            return defaultExperiment(caller);
        }
        return parseId(id, "experiment_id");
    }

    private long defaultExperiment(Caller caller) {
        String name = config.defaultExperimentName();
        List<ExperimentRow> found = sql(() -> store.experimentsNamed(name, List.of(config.defaultProject())));
        if (!found.isEmpty()) {
            return found.get(0).id();
        }
        require(caller, Role.MEMBER, config.defaultProject());
        return records.createExperiment(config.defaultProject(), name, caller.subject(), Map.of())
                .orElseGet(() -> sql(() -> store.experimentsNamed(name, List.of(config.defaultProject())))
                        .get(0).id());
    }

    public ExperimentRow experimentByName(Caller caller, String name) {
        if (name == null || name.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'experiment_name'.");
        }
        if (caller.kind() == Caller.Kind.RUN) {
            throw MlflowException.denied("a run token may only read its own run and experiment");
        }
        Collection<String> visible = caller.visibleProjects().orElse(null);
        List<ExperimentRow> found = sql(() -> store.experimentsNamed(name, visible));
        if (found.isEmpty() && name.equals(config.defaultExperimentName())
                && caller.has(Role.MEMBER, config.defaultProject())) {
            return experiment(caller, String.valueOf(defaultExperiment(caller)));
        }
        return found.stream().filter(e -> e.project().equals(config.defaultProject())).findFirst()
                .or(() -> found.stream().findFirst())
                .orElseThrow(() -> MlflowException.notFound("Could not find experiment with name '" + name + "'"));
    }

    public Page<ExperimentRow> searchExperiments(Caller caller, String filter, List<String> orderBy, String viewType,
            Integer maxResults, String pageToken) {
        if (caller.kind() == Caller.Kind.RUN) {
            throw MlflowException.denied("a run token may only read its own run and experiment");
        }
        int limit = limit(maxResults, MlflowLimits.MAX_RESULTS_SEARCH_EXPERIMENTS);
        int offset = offset(pageToken);
        List<SearchFilter.Clause> clauses;
        try {
            clauses = SearchFilter.parseExperiments(filter);
        } catch (SearchFilter.InvalidFilterException e) {
            throw MlflowException.invalid(e.getMessage());
        }
        StringBuilder order = new StringBuilder();
        for (String term : orderBy == null ? List.<String>of() : orderBy) {
            String t = term.strip();
            boolean desc = t.toUpperCase(java.util.Locale.ROOT).endsWith(" DESC");
            String key = t.replaceFirst("(?i)\\s+(asc|desc)$", "").replaceFirst("^(attributes|attribute|attr)\\.", "");
            String column = switch (key) {
                case "name" -> "s.name";
                case "experiment_id" -> "s.id";
                case "creation_time" -> "s.created_at";
                case "last_update_time" -> "s.updated_at";
                default -> throw MlflowException.invalid("Invalid order_by clause '" + term + "'");
            };
            order.append(column).append(desc ? " desc, " : " asc, ");
        }
        order.append("s.id desc");
        List<ExperimentRow> rows;
        try {
            rows = store.searchExperiments(caller.visibleProjects().orElse(null), clauses, stage(viewType),
                    order.toString(), offset, limit + 1);
        } catch (SearchFilter.InvalidFilterException e) {
            throw MlflowException.invalid(e.getMessage());
        } catch (SQLException e) {
            throw failed(e);
        }
        return page(rows, offset, limit);
    }

    public void deleteExperiment(Caller caller, String id, boolean delete) {
        ExperimentRow e = experiment(caller, id);
        require(caller, Role.MAINTAINER, e.project());
        if (delete && "deleted".equals(e.lifecycleStage())) {
            throw MlflowException.invalid("Cannot delete an already deleted experiment: " + id);
        }
        sql(() -> {
            store.setExperimentStage(e.id(), delete ? "deleted" : "active");
            return null;
        });
    }

    public void updateExperiment(Caller caller, String id, String newName) {
        ExperimentRow e = experiment(caller, id);
        require(caller, Role.MAINTAINER, e.project());
        if (newName == null || newName.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'new_name'.");
        }
        if (!TrackingRecords.TRACKING_METHOD.equals(e.method())) {
            throw MlflowException.invalid("Experiment " + id + " is a launched sweep; its name is its spec's");
        }
        if (!sql(() -> store.experimentsNamed(newName, List.of(e.project()))).isEmpty()) {
            throw MlflowException.exists("Experiment '" + newName + "' already exists.");
        }
        sql(() -> {
            store.renameExperiment(e.id(), newName);
            return null;
        });
    }

    public void setExperimentTag(Caller caller, String id, String key, String value) {
        ExperimentRow e = experiment(caller, id);
        require(caller, Role.MEMBER, e.project());
        checkTag(key, value, MlflowLimits.MAX_EXPERIMENT_TAG_VAL_LENGTH);
        sql(() -> {
            store.setExperimentTag(e.id(), key, value);
            return null;
        });
    }

    // ---- runs

    public FullRun createRun(Caller caller, String experimentId, String runName, String userId, Long startTime,
            Map<String, String> tags) {
        if (caller.kind() == Caller.Kind.RUN) {
            throw MlflowException.denied("a run token may not create runs; use the run in MLFLOW_RUN_ID");
        }
        ExperimentRow e = experiment(caller, experimentId == null || experimentId.isEmpty() ? "0" : experimentId);
        require(caller, Role.MEMBER, e.project());
        if ("deleted".equals(e.lifecycleStage())) {
            throw MlflowException.invalid("The experiment " + e.id() + " must be in the 'active' state. "
                    + "Current state is deleted.");
        }
        Map<String, String> allTags = new LinkedHashMap<>(tags);
        String name = runName != null && !runName.isEmpty() ? runName : allTags.get("mlflow.runName");
        allTags.forEach((k, v) -> checkTag(k, v, MlflowLimits.MAX_TAG_VAL_LENGTH));
        Instant start = startTime == null ? Instant.now() : Instant.ofEpochMilli(startTime);
        long id = records.createRun(e.id(), name, userId != null && !userId.isEmpty() ? userId : caller.subject(),
                start);
        if (!allTags.isEmpty()) {
            transaction(c -> store.writeTags(c, id, allTags));
        }
        return run(caller, String.valueOf(id));
    }

    public FullRun run(Caller caller, String runId) {
        RunRow r = readableRun(caller, runId);
        return sql(() -> {
            try (Connection c = store.connection()) {
                return new FullRun(r, store.data(c, List.of(r.id())).get(r.id()));
            }
        });
    }

    public RunRow updateRun(Caller caller, String runId, String status, Long endTime, String runName) {
        RunRow r = writableRun(caller, runId);
        MlflowStatus s = null;
        if (status != null && !status.isEmpty()) {
            s = MlflowStatus.parse(status).orElseThrow(() -> MlflowException.invalid("Invalid value '" + status
                    + "' for parameter 'status'"));
        }
        RunState state = null;
        Instant finished = null;
        if (r.tracking() && s != null && s != MlflowStatus.SCHEDULED && r.state() != s.state()
                && r.state().canMoveTo(s.state())) {
            // the client drives a tracking run, within the run state machine (an ended run stays ended); the
            // lifecycle of a launched run belongs to its executor
            state = s.state();
            finished = state.terminal() ? (endTime == null ? Instant.now() : Instant.ofEpochMilli(endTime)) : null;
        }
        RunState newState = state;
        Instant newEnd = finished;
        sql(() -> {
            store.updateRun(r.id(), runName == null || runName.isEmpty() ? null : runName, newState, newEnd);
            return null;
        });
        return readableRun(caller, runId);
    }

    public void deleteRun(Caller caller, String runId, boolean delete) {
        RunRow r = writableRun(caller, runId, true);
        sql(() -> {
            store.setRunStage(r.id(), delete ? "deleted" : "active");
            return null;
        });
    }

    public Page<FullRun> searchRuns(Caller caller, List<String> experimentIds, String filter, List<String> orderBy,
            String viewType, Integer maxResults, String pageToken) {
        if (experimentIds == null || experimentIds.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'experiment_ids'.");
        }
        List<Long> ids = new ArrayList<>();
        for (String id : experimentIds) {
            ids.add(experiment(caller, id).id());
        }
        List<SearchFilter.Clause> clauses = filter(filter);
        List<OrderBy> order = new ArrayList<>();
        try {
            for (String term : orderBy == null ? List.<String>of() : orderBy) {
                order.add(OrderBy.parse(term));
            }
        } catch (SearchFilter.InvalidFilterException e) {
            throw MlflowException.invalid(e.getMessage());
        }
        int limit = limit(maxResults, MlflowLimits.MAX_RESULTS_SEARCH_RUNS);
        int offset = offset(pageToken);
        List<Long> found;
        try {
            found = store.searchRuns(ids, clauses, order, stage(viewType), offset, limit + 1);
        } catch (SearchFilter.InvalidFilterException e) {
            throw MlflowException.invalid(e.getMessage());
        } catch (SQLException e) {
            throw failed(e);
        }
        Page<Long> page = page(found, offset, limit);
        List<FullRun> runs = sql(() -> {
            try (Connection c = store.connection()) {
                List<RunRow> rows = store.runs(c, page.items());
                Map<Long, MlflowStore.RunData> data = store.data(c, page.items());
                return rows.stream().filter(r -> caller.kind() != Caller.Kind.RUN || r.id() == caller.run().runId())
                        .map(r -> new FullRun(r, data.get(r.id()))).toList();
            }
        });
        return new Page<>(runs, page.nextPageToken());
    }

    /**
     * Logs metrics, params and tags of one run in one transaction, within MLflow's limits: all or nothing. Points are
     * deduplicated by their identity (run, attempt, key, step, timestamp), so a retried batch stores nothing twice.
     */
    public void logBatch(Caller caller, String runId, List<Metric> metrics, Map<String, String> params,
            Map<String, String> tags) {
        if (metrics.size() > MlflowLimits.MAX_METRICS_PER_BATCH) {
            throw MlflowException.invalid("A batch logging request can contain at most "
                    + MlflowLimits.MAX_METRICS_PER_BATCH + " metrics. Got " + metrics.size() + " metrics.");
        }
        if (params.size() > MlflowLimits.MAX_PARAMS_TAGS_PER_BATCH) {
            throw MlflowException.invalid("A batch logging request can contain at most "
                    + MlflowLimits.MAX_PARAMS_TAGS_PER_BATCH + " params. Got " + params.size() + " params.");
        }
        if (tags.size() > MlflowLimits.MAX_PARAMS_TAGS_PER_BATCH) {
            throw MlflowException.invalid("A batch logging request can contain at most "
                    + MlflowLimits.MAX_PARAMS_TAGS_PER_BATCH + " tags. Got " + tags.size() + " tags.");
        }
        if (metrics.size() + params.size() + tags.size() > MlflowLimits.MAX_ENTITIES_PER_BATCH) {
            throw MlflowException.invalid("A batch logging request can contain at most "
                    + MlflowLimits.MAX_ENTITIES_PER_BATCH + " total metrics, params and tags.");
        }
        Set<String> checkedKeys = new HashSet<>();
        for (Metric m : metrics) {
            checkMetric(m, checkedKeys);
        }
        params.forEach(MlflowTracking::checkParam);
        tags.forEach((k, v) -> checkTag(k, v, MlflowLimits.MAX_TAG_VAL_LENGTH));
        RunRow run = writableRun(caller, runId);
        int attempt = caller.kind() == Caller.Kind.RUN ? caller.run().attempt() : run.attempt();
        List<IngestBatch.Point> points = new ArrayList<>(metrics.size());
        for (Metric m : metrics) {
            points.add(new IngestBatch.Point(run.id(), attempt, m.key(), m.step(), m.timestampMillis(),
                    m.timestampMillis(), m.value(), false));
        }
        if (params.isEmpty() && tags.isEmpty()) {
            try {
                commits.commit(points);
            } catch (PointCommits.Failed e) {
                throw failed(e.sqlCause());
            }
            return;
        }
        Map<String, String> conflicts = new LinkedHashMap<>();
        sql(() -> {
            try (Connection c = store.connection()) {
                Map<String, Integer> keyIds = ingest.resolveKeys(c, points);
                c.setAutoCommit(false);
                try {
                    Map<String, String> differing = store.writeParams(c, run, params, Instant.now());
                    differing.putAll(sweepParamConflicts(run, params));
                    if (!differing.isEmpty()) {
                        c.rollback();
                        conflicts.putAll(differing);
                        return null;
                    }
                    store.writeTags(c, run.id(), tags);
                    ingest.writePoints(c, points, keyIds);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
            return null;
        });
        if (!conflicts.isEmpty()) {
            Map.Entry<String, String> first = conflicts.entrySet().iterator().next();
            throw MlflowException.invalid("Changing param values is not allowed. Param with key='" + first.getKey()
                    + "' was already logged with value='" + first.getValue() + "' for run ID='" + run.id()
                    + "'. Attempted logging new value '" + params.get(first.getKey()) + "'.");
        }
    }

    public void deleteTag(Caller caller, String runId, String key) {
        RunRow run = writableRun(caller, runId);
        if (!sql(() -> store.deleteTag(run.id(), key))) {
            throw MlflowException.notFound("No tag with name: " + key + " in run with id " + runId);
        }
    }

    public void logInputs(Caller caller, String runId, List<MlflowStore.Input> inputs) {
        RunRow run = writableRun(caller, runId);
        for (MlflowStore.Input i : inputs) {
            if (i.name() == null || i.digest() == null || i.sourceType() == null || i.source() == null) {
                throw MlflowException.invalid("A dataset needs name, digest, source_type and source");
            }
        }
        transaction(c -> store.writeInputs(c, run.id(), inputs));
    }

    public Page<MlflowStore.HistoryPoint> history(Caller caller, String runId, String key, Integer maxResults,
            String pageToken) {
        if (key == null || key.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'metric_key'.");
        }
        RunRow run = readableRun(caller, runId);
        int offset = offset(pageToken);
        if (maxResults == null && pageToken == null) {
            return new Page<>(sql(() -> store.history(run.id(), key, 0, Integer.MAX_VALUE)), null);
        }
        int limit = limit(maxResults, 25_000);
        return page(sql(() -> store.history(run.id(), key, offset, limit + 1)), offset, limit);
    }

    // ---- artifacts

    /**
     * The normalised artifact path {@code EXPERIMENT/RUN/artifacts[/...]} after checking that the run exists in that
     * experiment and that the caller may read it (or write it).
     */
    public String artifactPath(Caller caller, String path, boolean write) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        String[] parts = p.split("/", -1);
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                if (!(part.isEmpty() && p.endsWith("/") && parts[parts.length - 1] == part)) {
                    throw MlflowException.invalid("Invalid artifact path '" + path + "'");
                }
            }
        }
        if (parts.length < 3 || !"artifacts".equals(parts[2])) {
            throw MlflowException.invalid("Artifact paths are EXPERIMENT/RUN/artifacts/...; got '" + path + "'");
        }
        RunRow run = write ? writableRun(caller, parts[1]) : readableRun(caller, parts[1]);
        if (!String.valueOf(run.sweepId()).equals(parts[0])) {
            throw MlflowException.notFound("Run " + parts[1] + " is not in experiment " + parts[0]);
        }
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    // ---- access and validation

    private RunRow readableRun(Caller caller, String runId) {
        RunRow r = findRun(runId);
        if (caller.kind() == Caller.Kind.RUN) {
            if (caller.run().runId() != r.id()) {
                throw MlflowException.denied("a run token may only read and write its own run");
            }
            return r;
        }
        require(caller, Role.VIEWER, r.project());
        return r;
    }

    private RunRow writableRun(Caller caller, String runId) {
        return writableRun(caller, runId, false);
    }

    private RunRow writableRun(Caller caller, String runId, boolean evenDeleted) {
        RunRow r = findRun(runId);
        if (caller.kind() == Caller.Kind.RUN) {
            if (caller.run().runId() != r.id()) {
                throw MlflowException.denied("a run token may only read and write its own run");
            }
        } else {
            require(caller, Role.MEMBER, r.project());
        }
        if (!evenDeleted && "deleted".equals(r.lifecycleStage())) {
            throw MlflowException.invalid("The run " + r.id() + " must be in the 'active' state. "
                    + "Current state is deleted.");
        }
        return r;
    }

    private RunRow findRun(String runId) {
        if (runId == null || runId.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'run_id'.");
        }
        long id;
        try {
            id = Long.parseLong(runId);
        } catch (NumberFormatException e) {
            throw MlflowException.notFound("Run with id=" + runId + " not found");
        }
        return sql(() -> store.run(id)).orElseThrow(() -> MlflowException.notFound("Run with id=" + runId
                + " not found"));
    }

    private boolean ownExperiment(Caller caller, long experimentId) {
        return sql(() -> store.run(caller.run().runId())).map(r -> r.sweepId() == experimentId).orElse(false);
    }

    private static void require(Caller caller, Role role, String project) {
        if (caller.kind() == Caller.Kind.RUN || !caller.has(role, project)) {
            throw MlflowException.denied("needs the " + role.wireName() + " role in project '" + project + "'");
        }
    }

    /** The params a launched run's sweep gave it that the batch would change ("0.01" equals 0.01). */
    private static Map<String, String> sweepParamConflicts(RunRow run, Map<String, String> params) {
        if (run.tracking() || params.isEmpty() || run.parametersJson() == null) {
            return new LinkedHashMap<>();
        }
        Map<?, ?> given = dev.reprise.orchestrator.persistence.CanonicalJson.read(run.parametersJson(), Map.class);
        return dev.reprise.orchestrator.domain.mlflow.ParamImmutability.sweepConflicts(given, params);
    }

    /** Checks a metric; its key only when not in {@code checkedKeys} yet (then it is added). */
    private static void checkMetric(Metric m, Set<String> checkedKeys) {
        if (checkedKeys.add(m.key())) {
            checkMetricKey(m);
        }
        if (m.step() < 0) {
            throw MlflowException.invalid("Metric '" + m.key() + "' has a negative step " + m.step()
                    + "; Reprise stores steps from 0");
        }
        if (m.timestampMillis() < 0 || m.timestampMillis() > 253_402_300_799_999L) {
            throw MlflowException.invalid("Metric '" + m.key() + "' has a timestamp out of range: "
                    + m.timestampMillis());
        }
    }

    private static void checkMetricKey(Metric m) {
        checkKey(m.key(), "metric");
        if (m.key().startsWith("sys/")) {
            throw MlflowException.invalid("Metric key '" + m.key() + "' uses the reserved prefix sys/");
        }
        if (m.key().length() > MetricPoint.MAX_KEY_LENGTH) {
            throw MlflowException.invalid("Metric key '" + m.key() + "' is too long");
        }
    }

    private static void checkParam(String key, String value) {
        checkKey(key, "param");
        if (value == null) {
            throw MlflowException.invalid("Missing value for required parameter 'value' of param '" + key + "'");
        }
        if (value.length() > MlflowLimits.MAX_PARAM_VAL_LENGTH) {
            throw MlflowException.invalid("Param value '" + value.substring(0, 32) + "...' had length "
                    + value.length() + ", which exceeded length limit of " + MlflowLimits.MAX_PARAM_VAL_LENGTH);
        }
    }

    private static void checkTag(String key, String value, int maxLength) {
        checkKey(key, "tag");
        if (value == null) {
            throw MlflowException.invalid("Missing value for required parameter 'value' of tag '" + key + "'");
        }
        if (value.length() > maxLength) {
            throw MlflowException.invalid("Tag value '" + value.substring(0, 32) + "...' had length "
                    + value.length() + ", which exceeded length limit of " + maxLength);
        }
    }

    private static void checkKey(String key, String what) {
        if (key == null || key.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'key' of a " + what);
        }
        if (key.length() > MlflowLimits.MAX_ENTITY_KEY_LENGTH) {
            throw MlflowException.invalid(capitalised(what) + " '" + key.substring(0, 32) + "...' had length "
                    + key.length() + ", which exceeded length limit of " + MlflowLimits.MAX_ENTITY_KEY_LENGTH);
        }
        if (!KEY_CHARACTERS.matcher(key).matches() || key.contains("..") || key.startsWith("/")) {
            throw MlflowException.invalid("Invalid " + what + " name: '" + key + "'. Names may only contain "
                    + "alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).");
        }
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static List<SearchFilter.Clause> filter(String filter) {
        try {
            return SearchFilter.parse(filter);
        } catch (SearchFilter.InvalidFilterException e) {
            throw MlflowException.invalid(e.getMessage());
        }
    }

    private static String stage(String viewType) {
        if (viewType == null || viewType.isEmpty() || "ACTIVE_ONLY".equals(viewType)) {
            return "active";
        }
        return switch (viewType) {
            case "DELETED_ONLY" -> "deleted";
            case "ALL" -> null;
            default -> throw MlflowException.invalid("Invalid value '" + viewType + "' for parameter 'view_type'");
        };
    }

    private static int limit(Integer maxResults, int max) {
        if (maxResults == null) {
            return MlflowLimits.DEFAULT_SEARCH_RESULTS;
        }
        if (maxResults < 1 || maxResults > max) {
            throw MlflowException.invalid("Invalid value " + maxResults + " for parameter 'max_results' supplied. "
                    + "It must be at most " + max + ", and at least 1.");
        }
        return maxResults;
    }

    /** MLflow page tokens are opaque; ours are the base64 of the next offset. */
    private static int offset(String pageToken) {
        if (pageToken == null || pageToken.isEmpty()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(pageToken),
                    StandardCharsets.UTF_8));
            if (offset < 0) {
                throw new NumberFormatException();
            }
            return offset;
        } catch (IllegalArgumentException e) {
            throw MlflowException.invalid("Invalid page token, could not base64-decode");
        }
    }

    private static <T> Page<T> page(List<T> rows, int offset, int limit) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        String next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                String.valueOf(offset + limit).getBytes(StandardCharsets.UTF_8));
        return new Page<>(rows.subList(0, limit), next);
    }

    private static long parseId(String id, String field) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException | NullPointerException e) {
            throw MlflowException.notFound("No Experiment with id=" + id + " exists");
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private interface SqlStep {
        void run(Connection c) throws SQLException;
    }

    private <T> T sql(SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private void transaction(SqlStep step) {
        sql(() -> {
            try (Connection c = store.connection()) {
                c.setAutoCommit(false);
                try {
                    step.run(c);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
            return null;
        });
    }

    private static MlflowException failed(SQLException e) {
        LOG.errorf(e, "MLflow API: database error");
        return MlflowException.internal("the database could not complete the request");
    }

    static Set<String> keys(Collection<Metric> metrics) {
        Set<String> out = new HashSet<>();
        metrics.forEach(m -> out.add(m.key()));
        return out;
    }
}
