package dev.reprise.orchestrator.application.mlflow;

import dev.reprise.orchestrator.domain.mlflow.DatasetInput;
import dev.reprise.orchestrator.domain.mlflow.Experiment;
import dev.reprise.orchestrator.domain.mlflow.HistoryPoint;
import dev.reprise.orchestrator.domain.mlflow.MlflowLimits;
import dev.reprise.orchestrator.domain.mlflow.MlflowStatus;
import dev.reprise.orchestrator.domain.mlflow.OrderBy;
import dev.reprise.orchestrator.domain.mlflow.RunData;
import dev.reprise.orchestrator.domain.mlflow.SearchFilter;
import dev.reprise.orchestrator.domain.mlflow.TrackedRun;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.persistence.mlflow.RunDataWrites;
import dev.reprise.orchestrator.persistence.mlflow.TrackedRunStore;
import dev.reprise.orchestrator.persistence.mlflow.TrackingRecords;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run use cases of the MLflow-compatible API: runs are Reprise runs (created as tracking runs of an
 * experiment's sweep), read with their data, updated within the run state machine, searched with MLflow's filter,
 * deleted and restored; their tags deleted, dataset inputs logged, metric history paged and artifact paths checked.
 */
@ApplicationScoped
public class MlflowRuns {

    private final MlflowAccess access;
    private final TrackedRunStore runStore;
    private final RunDataWrites writes;
    private final TrackingRecords records;

    public MlflowRuns(MlflowAccess access, TrackedRunStore runStore, RunDataWrites writes, TrackingRecords records) {
        this.access = access;
        this.runStore = runStore;
        this.writes = writes;
        this.records = records;
    }

    public FullRun createRun(Caller caller, String experimentId, String runName, String userId, Long startTime,
            Map<String, String> tags) {
        if (caller.kind() == Caller.Kind.RUN) {
            throw MlflowException.denied("a run token may not create runs; use the run in MLFLOW_RUN_ID");
        }
        Experiment e = access.experiment(caller, experimentId == null || experimentId.isEmpty() ? "0" : experimentId);
        MlflowAccess.require(caller, Role.MEMBER, e.project());
        if ("deleted".equals(e.lifecycleStage())) {
            throw MlflowException.invalid("The experiment " + e.id() + " must be in the 'active' state. "
                    + "Current state is deleted.");
        }
        Map<String, String> allTags = new LinkedHashMap<>(tags);
        String name = runName != null && !runName.isEmpty() ? runName : allTags.get("mlflow.runName");
        allTags.forEach((k, v) -> MlflowChecks.checkTag(k, v, MlflowLimits.MAX_TAG_VAL_LENGTH));
        Instant start = startTime == null ? Instant.now() : Instant.ofEpochMilli(startTime);
        long id = records.createRun(e.id(), name, userId != null && !userId.isEmpty() ? userId : caller.subject(),
                start);
        if (!allTags.isEmpty()) {
            Jdbc.transaction(runStore::connection, c -> writes.writeTags(c, id, allTags));
        }
        return run(caller, String.valueOf(id));
    }

    public FullRun run(Caller caller, String runId) {
        TrackedRun r = access.readableRun(caller, runId);
        return Jdbc.sql(() -> {
            try (Connection c = runStore.connection()) {
                return new FullRun(r, runStore.data(c, List.of(r.id())).get(r.id()));
            }
        });
    }

    public TrackedRun updateRun(Caller caller, String runId, String status, Long endTime, String runName) {
        TrackedRun r = access.writableRun(caller, runId);
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
        Jdbc.sql(() -> {
            writes.updateRun(r.id(), runName == null || runName.isEmpty() ? null : runName, newState, newEnd);
            return null;
        });
        return access.readableRun(caller, runId);
    }

    public void deleteRun(Caller caller, String runId, boolean delete) {
        TrackedRun r = access.writableRun(caller, runId, true);
        Jdbc.sql(() -> {
            writes.setRunStage(r.id(), delete ? "deleted" : "active");
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
            ids.add(access.experiment(caller, id).id());
        }
        List<SearchFilter.Clause> clauses = MlflowChecks.filter(filter);
        List<OrderBy> order = new ArrayList<>();
        try {
            for (String term : orderBy == null ? List.<String>of() : orderBy) {
                order.add(OrderBy.parse(term));
            }
        } catch (SearchFilter.InvalidFilterException e) {
            throw MlflowException.invalid(e.getMessage());
        }
        int limit = MlflowChecks.limit(maxResults, MlflowLimits.MAX_RESULTS_SEARCH_RUNS);
        int offset = MlflowChecks.offset(pageToken);
        List<Long> found;
        try {
            found = runStore.searchRuns(ids, clauses, order, MlflowChecks.stage(viewType), offset, limit + 1);
        } catch (SearchFilter.InvalidFilterException e) {
            throw MlflowException.invalid(e.getMessage());
        } catch (SQLException e) {
            throw Jdbc.failed(e);
        }
        Page<Long> page = MlflowChecks.page(found, offset, limit);
        List<FullRun> runs = Jdbc.sql(() -> {
            try (Connection c = runStore.connection()) {
                List<TrackedRun> rows = runStore.runs(c, page.items());
                Map<Long, RunData> data = runStore.data(c, page.items());
                return rows.stream().filter(r -> caller.kind() != Caller.Kind.RUN || r.id() == caller.run().runId())
                        .map(r -> new FullRun(r, data.get(r.id()))).toList();
            }
        });
        return new Page<>(runs, page.nextPageToken());
    }

    public void deleteTag(Caller caller, String runId, String key) {
        TrackedRun run = access.writableRun(caller, runId);
        if (!Jdbc.sql(() -> writes.deleteTag(run.id(), key))) {
            throw MlflowException.notFound("No tag with name: " + key + " in run with id " + runId);
        }
    }

    public void logInputs(Caller caller, String runId, List<DatasetInput> inputs) {
        TrackedRun run = access.writableRun(caller, runId);
        for (DatasetInput i : inputs) {
            if (i.name() == null || i.digest() == null || i.sourceType() == null || i.source() == null) {
                throw MlflowException.invalid("A dataset needs name, digest, source_type and source");
            }
        }
        Jdbc.transaction(runStore::connection, c -> writes.writeInputs(c, run.id(), inputs));
    }

    public Page<HistoryPoint> history(Caller caller, String runId, String key, Integer maxResults,
            String pageToken) {
        if (key == null || key.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'metric_key'.");
        }
        TrackedRun run = access.readableRun(caller, runId);
        int offset = MlflowChecks.offset(pageToken);
        if (maxResults == null && pageToken == null) {
            return new Page<>(Jdbc.sql(() -> runStore.history(run.id(), key, 0, Integer.MAX_VALUE)), null);
        }
        int limit = MlflowChecks.limit(maxResults, 25_000);
        return MlflowChecks.page(Jdbc.sql(() -> runStore.history(run.id(), key, offset, limit + 1)), offset, limit);
    }

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
        TrackedRun run = write ? access.writableRun(caller, parts[1]) : access.readableRun(caller, parts[1]);
        if (!String.valueOf(run.sweepId()).equals(parts[0])) {
            throw MlflowException.notFound("Run " + parts[1] + " is not in experiment " + parts[0]);
        }
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
