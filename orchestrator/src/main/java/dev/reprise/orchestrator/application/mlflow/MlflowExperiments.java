package dev.reprise.orchestrator.application.mlflow;

import dev.reprise.orchestrator.domain.mlflow.Experiment;
import dev.reprise.orchestrator.domain.mlflow.MlflowLimits;
import dev.reprise.orchestrator.domain.mlflow.SearchFilter;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.persistence.mlflow.ExperimentStore;
import dev.reprise.orchestrator.persistence.mlflow.TrackingRecords;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The experiment use cases of the MLflow-compatible API (docs/adr/0007-mlflow-mapping.md): experiments are sweeps of
 * the 'tracking' method, created, found, searched, renamed, tagged, deleted and restored.
 */
@ApplicationScoped
public class MlflowExperiments {

    private final MlflowAccess access;
    private final ExperimentStore experimentStore;
    private final TrackingRecords records;
    private final MlflowConfig config;

    public MlflowExperiments(MlflowAccess access, ExperimentStore experimentStore, TrackingRecords records,
            MlflowConfig config) {
        this.access = access;
        this.experimentStore = experimentStore;
        this.records = records;
        this.config = config;
    }

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
        rest.forEach((k, v) -> MlflowChecks.checkTag(k, v, MlflowLimits.MAX_EXPERIMENT_TAG_VAL_LENGTH));
        MlflowAccess.require(caller, Role.MEMBER, project);
        return records.createExperiment(project, name, caller.subject(), rest).orElseThrow(() ->
                MlflowException.exists("Experiment '" + name + "' already exists."));
    }

    public Experiment experiment(Caller caller, String id) {
        return access.experiment(caller, id);
    }

    public Experiment experimentByName(Caller caller, String name) {
        if (name == null || name.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'experiment_name'.");
        }
        if (caller.kind() == Caller.Kind.RUN) {
            throw MlflowException.denied("a run token may only read its own run and experiment");
        }
        Collection<String> visible = caller.visibleProjects().orElse(null);
        List<Experiment> found = Jdbc.sql(() -> experimentStore.experimentsNamed(name, visible));
        if (found.isEmpty() && name.equals(config.defaultExperimentName())
                && caller.has(Role.MEMBER, config.defaultProject())) {
            return access.experiment(caller, String.valueOf(access.defaultExperiment(caller)));
        }
        return found.stream().filter(e -> e.project().equals(config.defaultProject())).findFirst()
                .or(() -> found.stream().findFirst())
                .orElseThrow(() -> MlflowException.notFound("Could not find experiment with name '" + name + "'"));
    }

    public Page<Experiment> searchExperiments(Caller caller, String filter, List<String> orderBy, String viewType,
            Integer maxResults, String pageToken) {
        if (caller.kind() == Caller.Kind.RUN) {
            throw MlflowException.denied("a run token may only read its own run and experiment");
        }
        int limit = MlflowChecks.limit(maxResults, MlflowLimits.MAX_RESULTS_SEARCH_EXPERIMENTS);
        int offset = MlflowChecks.offset(pageToken);
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
        List<Experiment> rows;
        try {
            rows = experimentStore.searchExperiments(caller.visibleProjects().orElse(null), clauses, MlflowChecks.stage(viewType),
                    order.toString(), offset, limit + 1);
        } catch (SearchFilter.InvalidFilterException e) {
            throw MlflowException.invalid(e.getMessage());
        } catch (SQLException e) {
            throw Jdbc.failed(e);
        }
        return MlflowChecks.page(rows, offset, limit);
    }

    public void deleteExperiment(Caller caller, String id, boolean delete) {
        Experiment e = access.experiment(caller, id);
        MlflowAccess.require(caller, Role.MAINTAINER, e.project());
        if (delete && "deleted".equals(e.lifecycleStage())) {
            throw MlflowException.invalid("Cannot delete an already deleted experiment: " + id);
        }
        Jdbc.sql(() -> {
            experimentStore.setExperimentStage(e.id(), delete ? "deleted" : "active");
            return null;
        });
    }

    public void updateExperiment(Caller caller, String id, String newName) {
        Experiment e = access.experiment(caller, id);
        MlflowAccess.require(caller, Role.MAINTAINER, e.project());
        if (newName == null || newName.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'new_name'.");
        }
        if (!TrackingRecords.TRACKING_METHOD.equals(e.method())) {
            throw MlflowException.invalid("Experiment " + id + " is a launched sweep; its name is its spec's");
        }
        if (!Jdbc.sql(() -> experimentStore.experimentsNamed(newName, List.of(e.project()))).isEmpty()) {
            throw MlflowException.exists("Experiment '" + newName + "' already exists.");
        }
        Jdbc.sql(() -> {
            experimentStore.renameExperiment(e.id(), newName);
            return null;
        });
    }

    public void setExperimentTag(Caller caller, String id, String key, String value) {
        Experiment e = access.experiment(caller, id);
        MlflowAccess.require(caller, Role.MEMBER, e.project());
        MlflowChecks.checkTag(key, value, MlflowLimits.MAX_EXPERIMENT_TAG_VAL_LENGTH);
        Jdbc.sql(() -> {
            experimentStore.setExperimentTag(e.id(), key, value);
            return null;
        });
    }
}
