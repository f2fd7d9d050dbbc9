package dev.reprise.orchestrator.execution.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.api.trial.TrialEnvironment;
import dev.reprise.api.trial.TrialVariable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialProcessEnvironmentTest {

    private static final Map<String, String> ORCHESTRATOR = Map.of(
            "PATH", "/usr/bin:/bin", "LANG", "C.UTF-8",
            "REPRISE_PG_PASSWORD", "db-secret", "REPRISE_S3_SECRET_KEY", "s3-secret",
            "REPRISE_LOCAL_TOKEN_FILE", "/home/me/.reprise/admin-token", "KUBECONFIG", "/home/me/.kube/config",
            "HOME", "/home/me");

    @Test
    void keepsTheOrchestratorsCredentialsOutOfTheTrial() {
        Map<String, String> env = TrialProcessEnvironment.build(ORCHESTRATOR, List.of("PATH", "LANG", "TZ"),
                Map.of("HOME", "/trials/1-0/home"), Map.of("LR", "0.1", "REPRISE_RUN_ID", "1"),
                TrialEnvironment.empty().with(TrialVariable.OUTPUT_DIR, "/trials/1-0/output"));

        assertThat(env).containsOnlyKeys("PATH", "LANG", "HOME", "LR", "REPRISE_RUN_ID", "REPRISE_OUTPUT_DIR")
                .containsEntry("HOME", "/trials/1-0/home").containsEntry("PATH", "/usr/bin:/bin");
    }

    @Test
    void theSweepsOwnVariablesWinOverThePassThrough() {
        Map<String, String> env = TrialProcessEnvironment.build(ORCHESTRATOR, List.of("PATH"), Map.of(),
                Map.of("PATH", "/opt/venv/bin:/usr/bin"), TrialEnvironment.empty());

        assertThat(env).containsExactly(Map.entry("PATH", "/opt/venv/bin:/usr/bin"));
    }

    @Test
    void anOperatorCanPassAnotherVariableOnByName() {
        Map<String, String> env = TrialProcessEnvironment.build(Map.of("CUDA_VISIBLE_DEVICES", "0"),
                List.of(" CUDA_VISIBLE_DEVICES "), Map.of(), Map.of(), TrialEnvironment.empty());

        assertThat(env).containsExactly(Map.entry("CUDA_VISIBLE_DEVICES", "0"));
    }
}
