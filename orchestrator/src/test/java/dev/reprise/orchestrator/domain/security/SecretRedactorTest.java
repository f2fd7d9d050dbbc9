package dev.reprise.orchestrator.domain.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {

    @Test
    void masksRepriseTokensJwtsAndBearerValuesButKeepsTheirKind() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl";
        String text = "token rpr_api_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg and " + jwt
                + " and Authorization: Bearer abcdefghijklmnop";
        String redacted = SecretRedactor.redact(text);
        assertThat(redacted).doesNotContain("AbCdEfGh").doesNotContain("eyJzdWIi").doesNotContain("abcdefghijklmnop")
                .contains("rpr_api_[REDACTED]").contains("eyJ[REDACTED]").contains("Bearer [REDACTED]");
    }

    @Test
    void masksValuesOfSecretLookingAssignmentsAndUrlPasswords() {
        assertThat(SecretRedactor.redact("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG db_password: hunter2 x=1"))
                .isEqualTo("AWS_SECRET_ACCESS_KEY=[REDACTED] db_password: [REDACTED] x=1");
        assertThat(SecretRedactor.redact("postgres://reprise:s3cret@db:5432/x"))
                .isEqualTo("postgres://reprise:[REDACTED]@db:5432/x");
        assertThat(SecretRedactor.redact("key AKIAIOSFODNN7EXAMPLE")).isEqualTo("key AKIA[REDACTED]");
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String text = "learning_rate=0.01 batch=32 loss: 0.25 at step 100 (see https://example.com/a/b)";
        assertThat(SecretRedactor.redact(text)).isEqualTo(text);
        assertThat(SecretRedactor.redact(null)).isNull();
    }

    @Test
    void masksEnvironmentVariablesBySecretNames() {
        assertThat(SecretRedactor.redactEnv(Map.of("REPRISE_RUN_TOKEN", "rpr_run_1_0_x", "HF_TOKEN", "hf_abc",
                "LR", "0.1", "DB_PASSWORD", "p"))).containsEntry("REPRISE_RUN_TOKEN", "[REDACTED]")
                .containsEntry("HF_TOKEN", "[REDACTED]").containsEntry("DB_PASSWORD", "[REDACTED]")
                .containsEntry("LR", "0.1");
    }
}
