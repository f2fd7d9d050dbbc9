package dev.reprise.orchestrator.application.mlflow;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the MLflow-compatible API (reprise.mlflow.*). */
@ConfigMapping(prefix = "reprise.mlflow")
public interface MlflowConfig {

    /** The project experiments are created in when the client names none (tag reprise.project). */
    @WithDefault("default")
    String defaultProject();

    /** The name of the experiment MLflow clients address as id 0. */
    @WithDefault("Default")
    String defaultExperimentName();
}
