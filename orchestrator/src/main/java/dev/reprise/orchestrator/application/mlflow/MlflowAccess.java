package dev.reprise.orchestrator.application.mlflow;

import dev.reprise.orchestrator.domain.mlflow.Experiment;
import dev.reprise.orchestrator.domain.mlflow.TrackedRun;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.persistence.mlflow.ExperimentStore;
import dev.reprise.orchestrator.persistence.mlflow.TrackedRunStore;
import dev.reprise.orchestrator.persistence.mlflow.TrackingRecords;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * Who may read and write what through the MLflow API: every call checks the caller's role in the project of what it
 * addresses; a run token reads and writes only its own run (and reads its experiment). Experiment id "0" is MLflow's
 * Default experiment, made on first use.
 */
@ApplicationScoped
public class MlflowAccess {

    private final ExperimentStore experimentStore;
    private final TrackedRunStore runStore;
    private final TrackingRecords records;
    private final MlflowConfig config;

    public MlflowAccess(ExperimentStore experimentStore, TrackedRunStore runStore, TrackingRecords records,
            MlflowConfig config) {
        this.experimentStore = experimentStore;
        this.runStore = runStore;
        this.records = records;
        this.config = config;
    }

    public Experiment experiment(Caller caller, String id) {
        Experiment e = Jdbc.sql(() -> experimentStore.experiment(experimentId(caller, id))).orElseThrow(() ->
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
        return MlflowChecks.parseId(id, "experiment_id");
    }

    long defaultExperiment(Caller caller) {
        String name = config.defaultExperimentName();
        List<Experiment> found = Jdbc.sql(() -> experimentStore.experimentsNamed(name, List.of(config.defaultProject())));
        if (!found.isEmpty()) {
            return found.get(0).id();
        }
        require(caller, Role.MEMBER, config.defaultProject());
        return records.createExperiment(config.defaultProject(), name, caller.subject(), Map.of())
                .orElseGet(() -> Jdbc.sql(() -> experimentStore.experimentsNamed(name, List.of(config.defaultProject())))
                        .get(0).id());
    }

    TrackedRun readableRun(Caller caller, String runId) {
        TrackedRun r = findRun(runId);
        if (caller.kind() == Caller.Kind.RUN) {
            if (caller.run().runId() != r.id()) {
                throw MlflowException.denied("a run token may only read and write its own run");
            }
            return r;
        }
        require(caller, Role.VIEWER, r.project());
        return r;
    }

    TrackedRun writableRun(Caller caller, String runId) {
        return writableRun(caller, runId, false);
    }

    TrackedRun writableRun(Caller caller, String runId, boolean evenDeleted) {
        TrackedRun r = findRun(runId);
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

    TrackedRun findRun(String runId) {
        if (runId == null || runId.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'run_id'.");
        }
        long id;
        try {
            id = Long.parseLong(runId);
        } catch (NumberFormatException e) {
            throw MlflowException.notFound("Run with id=" + runId + " not found");
        }
        return Jdbc.sql(() -> runStore.run(id)).orElseThrow(() -> MlflowException.notFound("Run with id=" + runId
                + " not found"));
    }

    boolean ownExperiment(Caller caller, long experimentId) {
        return Jdbc.sql(() -> runStore.run(caller.run().runId())).map(r -> r.sweepId() == experimentId).orElse(false);
    }

    static void require(Caller caller, Role role, String project) {
        if (caller.kind() == Caller.Kind.RUN || !caller.has(role, project)) {
            throw MlflowException.denied("needs the " + role.wireName() + " role in project '" + project + "'");
        }
    }
}
