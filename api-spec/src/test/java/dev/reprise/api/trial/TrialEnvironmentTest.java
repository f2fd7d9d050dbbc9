package dev.reprise.api.trial;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialEnvironmentTest {

    @Test
    void writesTheVariablesUnderTheirReprisePrefixedNamesAndReadsThemBack() {
        TrialEnvironment trial = TrialEnvironment.empty()
                .with(TrialVariable.RUN_ID, 42)
                .with(TrialVariable.ATTEMPT, 1)
                .with(TrialVariable.RUN_TOKEN, "rpr_run_42_1_x");

        Map<String, String> env = trial.toEnv();

        assertThat(env).containsExactly(Map.entry("REPRISE_RUN_ID", "42"), Map.entry("REPRISE_ATTEMPT", "1"),
                Map.entry("REPRISE_RUN_TOKEN", "rpr_run_42_1_x"));
        assertThat(TrialEnvironment.read(env)).isEqualTo(trial);
    }

    @Test
    void readingAProcessEnvironmentKeepsOnlyTheContractsVariables() {
        TrialEnvironment trial = TrialEnvironment.read(Map.of("PATH", "/usr/bin", "REPRISE_RUN_ID", "7",
                "REPRISE_PG_PASSWORD", "secret", "REPRISE_LOCAL_TOKEN_FILE", "/root/admin-token"));

        assertThat(trial.toEnv()).containsOnlyKeys("REPRISE_RUN_ID");
    }

    @Test
    void blankValuesCountAsAbsent() {
        TrialEnvironment trial = TrialEnvironment.read(Map.of("REPRISE_KAFKA_BOOTSTRAP", "  "));

        assertThat(trial.get(TrialVariable.KAFKA_BOOTSTRAP)).isEmpty();
        assertThat(trial.has(TrialVariable.KAFKA_BOOTSTRAP)).isFalse();
    }

    @Test
    void aNullValueRemovesTheVariable() {
        TrialEnvironment trial = TrialEnvironment.empty().with(TrialVariable.OBJECTIVE, "loss")
                .with(TrialVariable.OBJECTIVE, (String) null);

        assertThat(trial.values()).isEmpty();
    }

    @Test
    void withoutSecretsDropsTheRunTokenAndTheKafkaPasswordAndListsTheirValues() {
        TrialEnvironment trial = TrialEnvironment.empty().with(TrialVariable.RUN_ID, 1)
                .with(TrialVariable.RUN_TOKEN, "tok").with(TrialVariable.KAFKA_PASSWORD, "pw");

        assertThat(trial.secretValues()).containsExactlyInAnyOrder("tok", "pw");
        assertThat(trial.withoutSecrets().toEnv()).containsOnlyKeys("REPRISE_RUN_ID");
    }

    @Test
    void everyVariableIsReservedAndNamedOnce() {
        assertThat(Arrays.stream(TrialVariable.values()).filter(v -> !v.mlflow()).map(TrialVariable::variable))
                .allMatch(TrialVariable::reserved).doesNotHaveDuplicates();
        assertThat(Arrays.stream(TrialVariable.values()).filter(TrialVariable::mlflow).map(TrialVariable::variable))
                .containsExactly("MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN", "MLFLOW_EXPERIMENT_ID",
                        "MLFLOW_RUN_ID");
        assertThat(TrialVariable.named("REPRISE_SEED")).contains(TrialVariable.SEED);
        assertThat(TrialVariable.reserved("MY_VAR")).isFalse();
    }
}
