package dev.reprise.orchestrator.domain.mlflow;

/** MLflow's own limits (mlflow/utils/validation.py, MLflow 2.17), enforced the same way. */
public final class MlflowLimits {

    public static final int MAX_METRICS_PER_BATCH = 1000;
    public static final int MAX_PARAMS_TAGS_PER_BATCH = 100;
    public static final int MAX_ENTITIES_PER_BATCH = 1000;
    public static final int MAX_ENTITY_KEY_LENGTH = 250;
    public static final int MAX_PARAM_VAL_LENGTH = 6000;
    public static final int MAX_TAG_VAL_LENGTH = 8000;
    public static final int MAX_EXPERIMENT_TAG_VAL_LENGTH = 5000;
    public static final int MAX_EXPERIMENT_NAME_LENGTH = 500;
    public static final int MAX_RESULTS_SEARCH_RUNS = 50000;
    public static final int MAX_RESULTS_SEARCH_EXPERIMENTS = 50000;
    public static final int DEFAULT_SEARCH_RESULTS = 1000;

    private MlflowLimits() {
    }
}
